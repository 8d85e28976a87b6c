import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { ImportResult } from '@call-scheduler/domain/import-result';
import { ImportService } from './import.service';

describe('ImportService', () => {
  let service: ImportService;
  let http: HttpTestingController;
  const file = new Blob(['phoneNumber,scheduledAt,reference\n+14155550100,2030-01-01T09:00:00Z,r1\n'], { type: 'text/csv' });
  const result = (overrides: Partial<ImportResult> = {}): ImportResult => ({
    mode: 'all-or-nothing',
    dryRun: true,
    written: false,
    rows: 1,
    created: 1,
    existing: 0,
    errors: [],
    preview: [],
    ...overrides,
  });

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    service = TestBed.inject(ImportService);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('sends the file itself as text/csv, as a dry run in the chosen mode', async () => {
    const previewing = service.preview(file, 'accept-valid');
    const req = http.expectOne((r) => r.url === '/api/calls/import');
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toBe(file);
    expect(req.request.headers.get('Content-Type')).toBe('text/csv');
    expect(req.request.params.get('mode')).toBe('accept-valid');
    expect(req.request.params.get('dryRun')).toBe('true');
    req.flush(result());
    expect(await previewing).toEqual(result());
  });

  it('answers a refused all-or-nothing import (422) with its result, and other errors as errors', async () => {
    const refused = result({ dryRun: false, created: 0, errors: [{ row: 3, field: 'timezone', message: 'timezone X is not an IANA time zone name' }] });
    const running = service.run(file, 'all-or-nothing');
    const req = http.expectOne((r) => r.url === '/api/calls/import');
    expect(req.request.params.has('dryRun')).toBe(false);
    req.flush(refused, { status: 422, statusText: 'Unprocessable Entity' });
    expect(await running).toEqual(refused);

    const failing = service.run(file, 'all-or-nothing');
    http.expectOne('/api/calls/import?mode=all-or-nothing').flush({ statusCode: 413, message: 'too large' }, { status: 413, statusText: 'Payload Too Large' });
    await expect(failing).rejects.toMatchObject({ status: 413 });
  });
});
