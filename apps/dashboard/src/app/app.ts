import { ChangeDetectionStrategy, Component, Injector, afterNextRender, inject } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NavigationEnd, Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { filter, skip } from 'rxjs';
import { HealthBanner } from './health/health-banner';
import { LiveStatus } from './live/live-status';
import { LiveService } from './live/live.service';
import { AuthService } from './shared/auth.service';
import { TokenPrompt } from './shared/token-prompt';

@Component({
  selector: 'app-root',
  imports: [RouterOutlet, RouterLink, RouterLinkActive, LiveStatus, TokenPrompt, HealthBanner],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './app.html',
})
export class App {
  private readonly injector = inject(Injector);
  protected readonly live = inject(LiveService);
  protected readonly auth = inject(AuthService);

  constructor() {
    // After an in-app navigation, put focus on the new page's heading so screen readers
    // announce it and keyboard users start from the top of the content.
    inject(Router)
      .events.pipe(
        filter((e) => e instanceof NavigationEnd),
        skip(1),
        takeUntilDestroyed(),
      )
      .subscribe(() =>
        afterNextRender(() => document.querySelector<HTMLElement>('main h1')?.focus({ preventScroll: false }), {
          injector: this.injector,
        }),
      );
  }

  protected skipToMain(event: Event): void {
    event.preventDefault();
    document.getElementById('main')?.focus();
  }
}
