import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { ConfirmButton } from './confirm-button';

@Component({
  imports: [ConfirmButton],
  template: `<app-confirm-button
    label="Cancel"
    question="Cancel this call?"
    confirmLabel="Yes, cancel"
    keepLabel="Keep"
    (confirmed)="count.set(count() + 1)"
  />`,
})
class Host {
  readonly count = signal(0);
}

describe('ConfirmButton', () => {
  function buttons(el: HTMLElement): HTMLButtonElement[] {
    return Array.from(el.querySelectorAll('button'));
  }

  it('asks before acting and emits only on confirmation', async () => {
    const fixture = TestBed.createComponent(Host);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    buttons(el)[0].click();
    await fixture.whenStable();
    expect(el.textContent).toContain('Cancel this call?');
    expect(fixture.componentInstance.count()).toBe(0);
    expect(document.activeElement?.textContent.trim()).toBe('Yes, cancel');

    buttons(el)
      .find((b) => b.textContent.trim() === 'Yes, cancel')!
      .click();
    await fixture.whenStable();
    expect(fixture.componentInstance.count()).toBe(1);
    expect(el.textContent).not.toContain('Cancel this call?');
  });

  it('backs out on "Keep" without emitting', async () => {
    const fixture = TestBed.createComponent(Host);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    buttons(el)[0].click();
    await fixture.whenStable();
    buttons(el)
      .find((b) => b.textContent.trim() === 'Keep')!
      .click();
    await fixture.whenStable();
    expect(fixture.componentInstance.count()).toBe(0);
    expect(buttons(el).map((b) => b.textContent.trim())).toEqual(['Cancel']);
  });

  it('offers "Back" for an action that destroys nothing, "No, keep it" for one that does', async () => {
    @Component({
      imports: [ConfirmButton],
      template: `<app-confirm-button label="Retry" tone="primary" /><app-confirm-button label="Revoke" />`,
    })
    class Defaults {}
    const fixture = TestBed.createComponent(Defaults);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    for (const trigger of buttons(el)) trigger.click();
    await fixture.whenStable();
    expect(buttons(el).map((b) => b.textContent.trim())).toEqual(['Yes', 'Back', 'Yes', 'No, keep it']);
  });
});
