import { type Routes } from '@angular/router';

export const routes: Routes = [
  { path: '', pathMatch: 'full', redirectTo: 'overview' },
  {
    path: 'overview',
    title: 'Overview · Call Scheduler',
    loadComponent: () => import('./overview/overview').then((m) => m.Overview),
  },
  {
    path: 'schedule',
    title: 'Schedule a call · Call Scheduler',
    loadComponent: () => import('./schedule/schedule').then((m) => m.Schedule),
  },
  {
    path: 'pending',
    title: 'Pending calls · Call Scheduler',
    loadComponent: () => import('./pending/pending').then((m) => m.Pending),
  },
  {
    path: 'history',
    title: 'History · Call Scheduler',
    loadComponent: () => import('./history/history').then((m) => m.CallHistory),
  },
  {
    path: 'calls/:id',
    title: 'Call detail · Call Scheduler',
    loadComponent: () => import('./call-detail/call-detail').then((m) => m.CallDetail),
  },
  {
    path: 'series',
    title: 'Recurring calls · Call Scheduler',
    loadComponent: () => import('./series/series-list').then((m) => m.SeriesList),
  },
  {
    path: 'series/:id',
    title: 'Series · Call Scheduler',
    loadComponent: () => import('./series/series-detail').then((m) => m.SeriesDetail),
  },
  {
    path: 'keys',
    title: 'API keys · Call Scheduler',
    loadComponent: () => import('./keys/keys').then((m) => m.Keys),
  },
  { path: '**', redirectTo: 'overview' },
];
