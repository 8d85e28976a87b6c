import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { ChoiceRow } from './choice-row';

@Component({
  imports: [ChoiceRow],
  template: `<app-choice-row name="when" [choices]="choices" [value]="when()" (chosen)="when.set($event)" />`,
})
class Host {
  readonly choices = [
    { value: 'now', label: 'Now' },
    { value: 'later', label: 'Later' },
  ] as const;
  readonly when = signal<'now' | 'later'>('now');
}

describe('ChoiceRow', () => {
  it('checks the current choice and reports the one picked', async () => {
    const fixture = TestBed.createComponent(Host);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    const radios = Array.from(el.querySelectorAll<HTMLInputElement>('input[type=radio][name=when]'));
    expect(radios.map((r) => [r.value, r.checked])).toEqual([
      ['now', true],
      ['later', false],
    ]);
    expect(el.querySelector('label.choice')?.textContent.trim()).toBe('Now');

    el.querySelector<HTMLInputElement>('input[value=later]')!.click();
    await fixture.whenStable();
    expect(fixture.componentInstance.when()).toBe('later');
  });
});
