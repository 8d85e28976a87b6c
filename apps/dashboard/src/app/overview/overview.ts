import { ChangeDetectionStrategy, Component, type OnInit, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { ColumnHeads } from '../shared/column-heads';
import { LocalTimePipe } from '../shared/local-time.pipe';
import { StatusChip } from '../shared/status-chip';
import { formatMs } from '../shared/time';
import { LatenessChart } from './lateness-chart';
import { OverviewService } from './overview.service';

@Component({
  selector: 'app-overview',
  imports: [RouterLink, StatusChip, LatenessChart, LocalTimePipe, ColumnHeads],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './overview.html',
})
export class Overview implements OnInit {
  protected readonly overview = inject(OverviewService);
  protected readonly formatMs = formatMs;

  ngOnInit(): void {
    void this.overview.load();
  }
}
