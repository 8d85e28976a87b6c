import { HttpService } from '@nestjs/axios';
import { Inject, Injectable } from '@nestjs/common';
import type { AxiosError, AxiosResponse } from 'axios';
import { Agent } from 'node:http';
import { firstValueFrom } from 'rxjs';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

/** The answer to "place this call", classified by what it proves about the provider's side. */
export type PlaceCallResult =
  | { ok: true; providerCallId: string; providerStatus: string }
  // certain: the provider surely placed nothing. retryable: trying again may succeed.
  | { ok: false; certain: boolean; retryable: boolean; reason: string };

export type CallStatusResult =
  | { ok: true; status: string; duration: number | null }
  | { ok: false; notFound: boolean; reason: string };

// Answers that prove the request was turned away before anything was dialled.
const REFUSED_STATUSES = new Set([429, 503]);
// Network errors raised before the request could reach the provider.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** HTTP client of the external Call API (CALL_API.md): POST /api/call and GET /api/call/:id. */
@Injectable()
export class CallApiClient {
  private readonly agent: Agent;

  constructor(
    @Inject(HttpService) private readonly http: HttpService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: config.dispatchConcurrency * 2 });
  }

  async placeCall(phoneNumber: string, idempotencyKey: string): Promise<PlaceCallResult> {
    let response: AxiosResponse<string>;
    try {
      response = await this.request('POST', '/api/call', { phone_number: phoneNumber }, { 'Idempotency-Key': idempotencyKey });
    } catch (error) {
      return classifyNetworkError(error as AxiosError);
    }
    const { status } = response;
    const body = parseJson(response.data);
    if (status >= 200 && status < 300) {
      const call = body?.call as { id?: unknown; status?: unknown } | undefined;
      if (typeof call?.id === 'string' && call.id) {
        return { ok: true, providerCallId: call.id, providerStatus: typeof call.status === 'string' ? call.status : 'initiated' };
      }
      // It said yes but we cannot tell to what: the call may exist.
      return { ok: false, certain: false, retryable: true, reason: `HTTP ${status} without a call id` };
    }
    const detail = describeBody(body, response.data);
    if (REFUSED_STATUSES.has(status)) return { ok: false, certain: true, retryable: true, reason: `HTTP ${status}${detail}` };
    if (status >= 500) return { ok: false, certain: false, retryable: true, reason: `HTTP ${status}${detail}` };
    return { ok: false, certain: true, retryable: false, reason: `HTTP ${status}${detail}` };
  }

  async getCall(providerCallId: string): Promise<CallStatusResult> {
    try {
      const response = await this.request('GET', `/api/call/${encodeURIComponent(providerCallId)}`);
      if (response.status === 404) return { ok: false, notFound: true, reason: 'the Call API no longer knows this call (404)' };
      const call = parseJson(response.data)?.call as { status?: unknown; duration?: unknown } | undefined;
      if (response.status !== 200 || typeof call?.status !== 'string') {
        return { ok: false, notFound: false, reason: `HTTP ${response.status}${describeBody(parseJson(response.data), response.data)}` };
      }
      return { ok: true, status: call.status, duration: typeof call.duration === 'number' ? call.duration : null };
    } catch (error) {
      return { ok: false, notFound: false, reason: networkReason(error as AxiosError) };
    }
  }

  private request(method: 'GET' | 'POST', path: string, data?: unknown, headers: Record<string, string> = {}) {
    return firstValueFrom(
      this.http.request<string>({
        method,
        url: this.config.callApiUrl + path,
        data,
        headers: { Accept: 'application/json', ...headers },
        timeout: this.config.callApiTimeoutMs,
        httpAgent: this.agent,
        // Error bodies may be HTML: read text and decide ourselves; never throw on a status.
        responseType: 'text',
        transformResponse: (raw: string) => raw,
        validateStatus: () => true,
      }),
    );
  }
}

function classifyNetworkError(error: AxiosError): PlaceCallResult {
  const reason = networkReason(error);
  const certain = NOT_SENT_CODES.has(error.code ?? '');
  return { ok: false, certain, retryable: true, reason };
}

function networkReason(error: AxiosError): string {
  if (error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT') return `no answer within the timeout (${error.message})`;
  return `${error.code ?? 'network error'}: ${error.message}`;
}

function parseJson(text: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function describeBody(json: Record<string, unknown> | null, text: string): string {
  if (typeof json?.error === 'string') return `: ${json.error}`;
  const title = /<title>([^<]*)<\/title>/i.exec(text ?? '')?.[1];
  return title ? `: ${title.trim()}` : '';
}
