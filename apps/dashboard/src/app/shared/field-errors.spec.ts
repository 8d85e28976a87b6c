import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { FieldErrors } from './field-errors';

@Component({
  imports: [FieldErrors],
  template: `<div id="phone-error" data-testid="phone-error" [appFieldErrors]="errors()"></div>`,
})
class Host {
  readonly errors = signal<string[]>([]);
}

describe('FieldErrors', () => {
  it('keeps an empty .field-errors element while valid, and one message a line when not', () => {
    const fixture = TestBed.createComponent(Host);
    fixture.detectChanges();
    const el = (fixture.nativeElement as HTMLElement).querySelector('#phone-error')!;
    expect(el.classList).toContain('field-errors');
    expect(el.querySelectorAll('.field-error')).toHaveLength(0);

    fixture.componentInstance.errors.set(['phoneNumber is required', 'too short']);
    fixture.detectChanges();
    expect([...el.querySelectorAll('p.field-error')].map((p) => p.textContent)).toEqual(['phoneNumber is required', 'too short']);
  });
});
