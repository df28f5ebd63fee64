import { describe, expect, it } from 'vitest';
import { geocode, geocodeUrl, loadAppConfig, parseAppConfig, parseGeocode } from './appConfig.ts';

const none = { mapStyleUrl: null, geocoderUrl: null };

describe('parseAppConfig', () => {
  it('takes http(s) URLs and falls back for anything else', () => {
    expect(parseAppConfig({ mapStyleUrl: 'https://tiles.openfreemap.org/styles/liberty' }, none)).toEqual({
      mapStyleUrl: 'https://tiles.openfreemap.org/styles/liberty',
      geocoderUrl: null,
    });
    expect(parseAppConfig({ mapStyleUrl: 'javascript:alert(1)', geocoderUrl: 42 }, { mapStyleUrl: '/style.json', geocoderUrl: null })).toEqual({
      mapStyleUrl: '/style.json',
      geocoderUrl: null,
    });
    expect(parseAppConfig('junk', none)).toEqual(none);
  });
});

describe('loadAppConfig', () => {
  it('ignores the SPA fallback (HTML) and network errors', async () => {
    const html = async () => new Response('<!doctype html>', { headers: { 'content-type': 'text/html' } });
    expect(await loadAppConfig(html as typeof fetch)).toEqual(none);
    expect(await loadAppConfig((async () => Promise.reject(new TypeError('offline'))) as typeof fetch)).toEqual(none);
    const json = async () => Response.json({ geocoderUrl: 'https://geo.example.org' });
    expect(await loadAppConfig(json as typeof fetch)).toEqual({ mapStyleUrl: null, geocoderUrl: 'https://geo.example.org' });
  });
});

describe('geocoding', () => {
  it('builds a Nominatim search URL and reads the first hit', async () => {
    expect(geocodeUrl('https://nominatim.openstreetmap.org/', '12 High St, Leeds')).toBe(
      'https://nominatim.openstreetmap.org/search?format=jsonv2&limit=1&q=12%20High%20St%2C%20Leeds',
    );
    expect(geocodeUrl('https://geo.example.org/search', 'x')).toBe('https://geo.example.org/search?format=jsonv2&limit=1&q=x');
    expect(parseGeocode([{ lat: '53.79', lon: '-1.54' }])).toEqual({ lat: 53.79, lng: -1.54 });
    expect(parseGeocode([])).toBeNull();
    const fake = async () => Response.json([{ lat: '1', lon: '2' }]);
    expect(await geocode('https://g', 'q', fake as typeof fetch)).toEqual({ lat: 1, lng: 2 });
  });
});
