import { TestBed } from '@angular/core/testing';
import { StatusChip } from './status-chip';

describe('StatusChip', () => {
  async function render(status: string) {
    const fixture = TestBed.createComponent(StatusChip);
    fixture.componentRef.setInput('status', status);
    await fixture.whenStable();
    return (fixture.nativeElement as HTMLElement).querySelector<HTMLElement>('.chip')!;
  }

  it('names the status in words, not colour alone', async () => {
    const chip = await render('no-answer');
    expect(chip.textContent.trim()).toBe('no answer');
    expect(chip.dataset['status']).toBe('no-answer');
  });

  it('gives each group its tone', async () => {
    expect((await render('completed')).className).toContain('chip--success');
    expect((await render('ringing')).className).toContain('chip--progress');
    expect((await render('outcome-unknown')).className).toContain('chip--danger');
    expect((await render('cancelled')).className).toContain('chip--muted');
  });
});
