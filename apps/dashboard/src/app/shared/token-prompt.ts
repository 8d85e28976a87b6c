import { ChangeDetectionStrategy, Component, type ElementRef, afterNextRender, inject, viewChild } from '@angular/core';
import { AuthService } from './auth.service';

/** Shown when the API answers 401 (AUTH_TOKEN is set): asks for the token, then reloads with it. */
@Component({
  selector: 'app-token-prompt',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form class="card token-prompt" (submit)="save($event, token.value)" aria-labelledby="token-title">
      <h2 id="token-title">This API needs an access token</h2>
      <p class="hint" id="token-hint">The server was started with AUTH_TOKEN. The token is kept for this browser session only.</p>
      <div class="field">
        <label for="api-token">Access token</label>
        <input #token id="api-token" type="password" autocomplete="off" required aria-describedby="token-hint" />
      </div>
      <button class="btn btn--primary" type="submit">Use this token</button>
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
