import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { BaseChartDirective, provideCharts } from 'ng2-charts';
import { BarController, BarElement, CategoryScale, LinearScale, Tooltip, type ChartConfiguration } from 'chart.js';
import { USER_TIME_ZONE } from '../shared/time';

export interface LatenessPoint {
  callId: string;
  dispatchedAt: string;
  latenessMs: number;
}

/** Bars of dial lateness, oldest dispatch on the left. Only the chart pieces we draw are registered. */
@Component({
  selector: 'app-lateness-chart',
  imports: [BaseChartDirective],
  providers: [provideCharts({ registerables: [BarController, BarElement, CategoryScale, LinearScale, Tooltip] })],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="chart-box">
      <canvas baseChart type="bar" [data]="data()" [options]="options" role="img" [attr.aria-label]="ariaLabel()"></canvas>
    </div>
  `,
})
export class LatenessChart {
  readonly points = input.required<LatenessPoint[]>();
  private readonly zone = inject(USER_TIME_ZONE);
  private readonly timeFormat = new Intl.DateTimeFormat(undefined, {
    timeZone: this.zone,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });

  protected readonly data = computed<ChartConfiguration<'bar'>['data']>(() => {
    const points = [...this.points()].sort((a, b) => Date.parse(a.dispatchedAt) - Date.parse(b.dispatchedAt));
    return {
      labels: points.map((p) => this.timeFormat.format(new Date(p.dispatchedAt))),
      datasets: [
        {
          label: 'Lateness (ms)',
          data: points.map((p) => p.latenessMs),
          backgroundColor: points.map((p) => (p.latenessMs > 1000 ? '#b45309' : '#1d4ed8')),
          borderRadius: 3,
          maxBarThickness: 28,
        },
      ],
    };
  });

  protected readonly ariaLabel = computed(
    () => `Bar chart of dial lateness for the last ${this.points().length} dispatches. The same figures are in the table below.`,
  );

  protected readonly options: ChartConfiguration<'bar'>['options'] = {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    plugins: { legend: { display: false }, tooltip: { callbacks: { label: (ctx) => `${ctx.parsed.y} ms late` } } },
    scales: {
      x: { ticks: { maxRotation: 0, autoSkip: true, color: '#374151' }, grid: { display: false } },
      y: { beginAtZero: true, title: { display: true, text: 'ms late', color: '#374151' }, ticks: { color: '#374151' } },
    },
  };
}
