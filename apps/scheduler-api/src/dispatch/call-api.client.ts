import { HttpService } from '@nestjs/axios';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { AxiosError, AxiosInstance } from 'axios';
import type { Agent as HttpAgent } from 'node:http';
import { Clock } from '../common/clock.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { keepAliveAgent } from './call-api.http.js';

/** The answer to "place this call", classified by what it proves about the provider's side. */
export type PlaceCallResult =
  | { ok: true; providerCallId: string; providerStatus: string }
  // The provider could not be reached or turned the work away: nothing was placed, and it is not the
  // call's fault. retryAfterMs: the provider's Retry-After, when it sent one.
  | { ok: false; unavailable: true; reason: string; retryAfterMs: number | null }
  // certain: the provider surely placed nothing. retryable: trying again may succeed.
  | { ok: false; unavailable: false; certain: boolean; retryable: boolean; reason: string };

export type CallStatusResult = { ok: true; status: string; duration: number | null } | { ok: false; notFound: boolean; reason: string };

// Answers that say the provider (or the gateway in front of it) did not take the work: 429 and 503
// refuse it, 502 and 504 come from a gateway that could not reach it. Nothing was placed.
const UNAVAILABLE_STATUSES = new Set([429, 502, 503, 504]);
// Network errors raised before the request could reach the provider.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
// Retry-After beyond this is treated as this: the circuit breaker keeps probing meanwhile.
const MAX_RETRY_AFTER_MS = 10 * 60_000;

interface RawResponse {
  status: number;
  text: string;
  retryAfter: string | null;
}

type NetworkError = Error & { code?: string };

/**
 * HTTP client of the external Call API (CALL_API.md): POST /api/call and GET /api/call/:id,
 * through the axios instance that HttpModule.registerAsync configured (callApiHttpOptions: timeout,
 * text bodies, a keep-alive read agent). It calls axios directly rather than through HttpService's
 * Observables: on the dispatch hot path the rxjs wrapping costs CPU for nothing.
 */
@Injectable()
export class CallApiClient implements OnApplicationShutdown {
  // Dials have sockets of their own, one per dial that may be in flight: a dial queued behind status
  // polls for a socket could time out unsent and be taken for one that may have been placed.
  private readonly dialAgent: HttpAgent;
  private readonly axios: AxiosInstance;

  constructor(
    http: HttpService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.axios = http.axiosRef;
    this.dialAgent = keepAliveAgent(config, config.dispatchConcurrency);
  }

  // After the dispatcher has waited for its dials (beforeApplicationShutdown), not before.
  onApplicationShutdown(): void {
    this.dialAgent.destroy();
    // The read agent is the instance's default (callApiHttpOptions); its idle sockets would keep the process up.
    (this.axios.defaults.httpAgent as HttpAgent | undefined)?.destroy();
    (this.axios.defaults.httpsAgent as HttpAgent | undefined)?.destroy();
  }

  async placeCall(phoneNumber: string, idempotencyKey: string): Promise<PlaceCallResult> {
    let response: RawResponse;
    try {
      response = await this.request('POST', '/api/call', { phone_number: phoneNumber }, { 'Idempotency-Key': idempotencyKey }, this.dialAgent);
    } catch (error) {
      return classifyNetworkError(error as NetworkError);
    }
    const { status } = response;
    const body = parseJson(response.text);
    if (status >= 200 && status < 300) {
      const call = body?.call as { id?: unknown; status?: unknown } | undefined;
      if (typeof call?.id === 'string' && call.id) {
        return { ok: true, providerCallId: call.id, providerStatus: typeof call.status === 'string' ? call.status : 'initiated' };
      }
      // It said yes but we cannot tell to what: the call may exist.
      return { ok: false, unavailable: false, certain: false, retryable: true, reason: `HTTP ${status} without a call id` };
    }
    const reason = `HTTP ${status}${describeBody(body, response.text)}`;
    if (UNAVAILABLE_STATUSES.has(status))
      return { ok: false, unavailable: true, reason, retryAfterMs: parseRetryAfter(response.retryAfter, this.clock.now().getTime()) };
    if (status >= 500) return { ok: false, unavailable: false, certain: false, retryable: true, reason };
    return { ok: false, unavailable: false, certain: true, retryable: false, reason };
  }

  /** The Call API's own health check (GET /health): true when it answers 2xx. */
  async probe(): Promise<{ ok: boolean; reason: string }> {
    try {
      const { status } = await this.request('GET', '/health');
      return { ok: status >= 200 && status < 300, reason: `HTTP ${status}` };
    } catch (error) {
      return { ok: false, reason: networkReason(error as NetworkError) };
    }
  }

  async getCall(providerCallId: string): Promise<CallStatusResult> {
    try {
      const response = await this.request('GET', `/api/call/${encodeURIComponent(providerCallId)}`);
      if (response.status === 404) return { ok: false, notFound: true, reason: 'the Call API no longer knows this call (404)' };
      const call = parseJson(response.text)?.call as { status?: unknown; duration?: unknown } | undefined;
      if (response.status !== 200 || typeof call?.status !== 'string') {
        return { ok: false, notFound: false, reason: `HTTP ${response.status}${describeBody(parseJson(response.text), response.text)}` };
      }
      return { ok: true, status: call.status, duration: typeof call.duration === 'number' ? call.duration : null };
    } catch (error) {
      return { ok: false, notFound: false, reason: networkReason(error as NetworkError) };
    }
  }

  /** One request; resolves with any status (error bodies may be HTML: the caller decides), rejects on network errors. */
  private async request(method: 'GET' | 'POST', path: string, data?: unknown, headers: Record<string, string> = {}, agent?: HttpAgent): Promise<RawResponse> {
    try {
      // Timeout, text body, status handling and the read agent are the instance's defaults (callApiHttpOptions).
      const res = await this.axios.request<string>({
        method,
        url: this.config.callApiUrl + path,
        data,
        headers,
        ...(agent ? { httpAgent: agent, httpsAgent: agent } : {}),
      });
      const retryAfter: unknown = res.headers['retry-after'];
      return { status: res.status, text: typeof res.data === 'string' ? res.data : '', retryAfter: typeof retryAfter === 'string' ? retryAfter : null };
    } catch (error) {
      const e = error as AxiosError;
      // axios reports its own timeout as ECONNABORTED; say what it is.
      const cause: NetworkError | undefined = e.cause;
      const code = e.code === 'ECONNABORTED' || e.code === 'ETIMEDOUT' ? 'ETIMEDOUT' : (cause?.code ?? e.code);
      throw Object.assign(new Error(e.message), { code });
    }
  }
}

function classifyNetworkError(error: NetworkError): PlaceCallResult {
  const reason = networkReason(error);
  if (NOT_SENT_CODES.has(error.code ?? '')) return { ok: false, unavailable: true, reason, retryAfterMs: null };
  // A timeout or a reset after the request went out: the provider may have placed the call.
  return { ok: false, unavailable: false, certain: false, retryable: true, reason };
}

/** Retry-After as delay-seconds or an HTTP date (RFC 9110 §10.2.3), in ms from `now`; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  const ms = /^\d+$/.test(trimmed) ? Number(trimmed) * 1000 : Date.parse(trimmed) - now;
  if (!Number.isFinite(ms)) return null;
  return Math.min(Math.max(0, ms), MAX_RETRY_AFTER_MS);
}

function networkReason(error: NetworkError): string {
  if (error.code === 'ETIMEDOUT') return `no answer within the timeout (${error.message})`;
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
  const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1];
  return title ? `: ${title.trim()}` : '';
}
