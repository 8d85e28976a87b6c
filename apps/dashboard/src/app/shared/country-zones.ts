/**
 * The IANA zones of a country (ISO 3166 code, as libphonenumber gives it), most populous first.
 * From the browser's own tz data via Intl.Locale's time zone info (`getTimeZones()`, or the older
 * `timeZones` getter: Chromium, Safari, Node); where a browser lacks it (Firefox today) there are no
 * suggestions and the picker lists every zone. No table of our own to keep in step with tzdata.
 */
export function zonesForCountry(country: string | undefined): string[] {
  if (!country || !/^[A-Z]{2}$/.test(country)) return [];
  try {
    const locale = new Intl.Locale(`und-${country}`) as Intl.Locale & { getTimeZones?: () => string[] | undefined; timeZones?: string[] };
    return locale.getTimeZones?.() ?? locale.timeZones ?? [];
  } catch {
    return [];
  }
}

let allZones: string[] | undefined;

/** Every zone this browser knows, A–Z. */
export function allTimeZones(): string[] {
  allZones ??= Intl.supportedValuesOf('timeZone');
  return allZones;
}
