import { ChangeDetectionStrategy, Component, type ElementRef, afterNextRender, inject, viewChild } from '@angular/core';
import { AuthService } from './auth.service';

/** Shown when the API answers 401 (keys or AUTH_TOKEN exist): asks for a key, then reloads with it. */
@Component({
  selector: 'app-token-prompt',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form class="card token-prompt" (submit)="save($event, token.value)" aria-labelledby="token-title">
      <h2 id="token-title">This API needs an API key</h2>
      <p class="hint" id="token-hint">
        Ask an admin for a key (npm run keys -- create). What you do is recorded under its name. The key is kept for this browser session only.
      </p>
      <div class="field">
        <label for="api-token">API key</label>
        <input #token id="api-token" type="password" autocomplete="off" required aria-describedby="token-hint" />
      </div>
      <button class="btn btn--primary" type="submit">Use this key</button>
    </form>
  `,
})
export class TokenPrompt {
  private readonly auth = inject(AuthService);
  private readonly input = viewChild.required<ElementRef<HTMLInputElement>>('token');

  constructor() {
    afterNextRender(() => this.input().nativeElement.focus());
  }

  protected save(event: Event, token: string): void {
    event.preventDefault();
    if (!token.trim()) return;
    this.auth.setToken(token);
    // Every view reloads its data with the token; the live feed reconnects with it.
    location.reload();
  }
}
