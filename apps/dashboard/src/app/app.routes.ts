import { type Routes, type Route } from '@angular/router';

/** A page of the dashboard: its path, its title (the tab and what a screen reader announces), its lazy component. */
const page = (path: string, title: string, loadComponent: Route['loadComponent']): Route => ({ path, title: `${title} · Call Scheduler`, loadComponent });

export const routes: Routes = [
  { path: '', pathMatch: 'full', redirectTo: 'overview' },
  page('overview', 'Overview', () => import('./overview/overview').then((m) => m.Overview)),
  page('schedule', 'Schedule a call', () => import('./schedule/schedule').then((m) => m.Schedule)),
  page('import', 'Import calls', () => import('./import/call-import').then((m) => m.CallImport)),
  page('pending', 'Pending calls', () => import('./pending/pending').then((m) => m.Pending)),
  page('history', 'History', () => import('./history/history').then((m) => m.CallHistory)),
  page('calls/:id', 'Call detail', () => import('./call-detail/call-detail').then((m) => m.CallDetail)),
  page('series', 'Recurring calls', () => import('./series/series-list').then((m) => m.SeriesList)),
  page('series/:id', 'Series', () => import('./series/series-detail').then((m) => m.SeriesDetail)),
  page('keys', 'API keys', () => import('./keys/keys').then((m) => m.Keys)),
  { path: '**', redirectTo: 'overview' },
];
