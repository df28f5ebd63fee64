import { describe, expect, it } from 'vitest';
import { emptyCard } from '@delivery-board/schema/boardDoc';
import { openBooking } from '@delivery-board/schema/bookings';
import { boundsOf, cardPins, CLUSTER_COLOR, CLUSTER_COUNT_COLOR, driverPoints, graticule, offlineStyle, pinChoices, pinsKey, samePlace } from './mapData.ts';
import { presentUsers } from './presenceFormat.ts';

describe('cardPins', () => {
  it('makes a pin per placed pickup and drop-off, with the booking status', () => {
    const a = { ...emptyCard('a', 'u', 1), title: 'Box', pickup: { label: 'x', lat: 51.5, lng: -0.1 }, dropoff: { label: 'y', lat: 51.6, lng: -0.2 } };
    const b = { ...emptyCard('b', 'u', 2), pickup: { label: 'only a label', lat: null, lng: null } };
    const pins = cardPins([a, b], (id) => (id === 'a' ? { ...openBooking(id), status: 'claimed' as const } : openBooking(id)));
    expect(pins.features).toHaveLength(2);
    expect(pins.features[0]).toMatchObject({ geometry: { coordinates: [-0.1, 51.5] }, properties: { cardId: 'a', kind: 'pickup', status: 'claimed' } });
    expect(pins.features[1].properties.kind).toBe('dropoff');
    // Same pins, same key; a moved pin changes it.
    const again = cardPins([{ ...a, title: 'Renamed', notes: 'x' }, b], (id) => (id === 'a' ? { ...openBooking(id), status: 'claimed' as const } : openBooking(id)));
    expect(pinsKey(again)).toBe(pinsKey(pins));
    const moved = cardPins([{ ...a, dropoff: { label: 'y', lat: 51.7, lng: -0.2 } }, b], (id) => (id === 'a' ? { ...openBooking(id), status: 'claimed' as const } : openBooking(id)));
    expect(pinsKey(moved)).not.toBe(pinsKey(pins));
  });
});

describe('pins at one spot', () => {
  it('lists each card and place once, by title, without deleted cards', () => {
    const hall = { label: "St Mary's Hall", lat: 53.801, lng: -1.549 };
    const cards = [
      { ...emptyCard('a', 'u', 1), title: 'Weekly grocery box', pickup: hall },
      { ...emptyCard('b', 'u', 2), title: 'Nappies and formula', pickup: hall, dropoff: hall },
      { ...emptyCard('c', 'u', 3), title: '', pickup: hall },
    ];
    const pins = cardPins(cards, openBooking);
    expect(samePlace(pins.features)).toBe(true);
    const titles = new Map(cards.map((c) => [c.id, c.title]));
    const choices = pinChoices([...pins.features, pins.features[0]!], (id) => titles.get(id) ?? null);
    expect(choices).toEqual([
      { cardId: 'b', label: 'Nappies and formula · drop-off' },
      { cardId: 'b', label: 'Nappies and formula · pickup' },
      { cardId: 'c', label: 'Untitled card · pickup' },
      { cardId: 'a', label: 'Weekly grocery box · pickup' },
    ]);
    titles.delete('a');
    expect(pinChoices(pins.features, (id) => titles.get(id) ?? null).map((c) => c.cardId)).toEqual(['b', 'b', 'c']);
    expect(samePlace([...pins.features, { geometry: { coordinates: [-1.549, 53.802] } }])).toBe(false);
    expect(samePlace([])).toBe(false);
  });
});

describe('driverPoints and boundsOf', () => {
  it('places sharing drivers and fits everything', () => {
    const users = presentUsers(
      [
        [1, { user: { id: 'd', name: 'Sam Okafor' }, position: { lat: 51, lng: 1, at: 0 } }],
        [2, { user: { id: 'e', name: 'Lena' } }],
      ],
      null,
    );
    const drivers = driverPoints(users, 5 * 60_000);
    expect(drivers.features).toHaveLength(1);
    expect(drivers.features[0].properties).toMatchObject({ initials: 'SO', ageMinutes: 5 });
    const pins = cardPins([{ ...emptyCard('a', 'u', 1), pickup: { label: '', lat: 52, lng: -1 } }], openBooking);
    expect(boundsOf([pins, drivers])).toEqual([[-1, 51], [1, 52]]);
    expect(boundsOf([])).toBeNull();
  });
});

describe('cluster count', () => {
  /** WCAG 2 contrast ratio of two #rrggbb colours. */
  const contrast = (a: string, b: string) => {
    const lum = (hex: string) => {
      const [r, g, bl] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
    };
    const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  it('reads against the cluster colour (WCAG AA for small text)', () => {
    expect(contrast(CLUSTER_COUNT_COLOR, CLUSTER_COLOR)).toBeGreaterThanOrEqual(4.5);
  });
});

describe('offlineStyle', () => {
  it('fetches nothing: no tiles, sprites or glyphs', () => {
    const style = JSON.stringify(offlineStyle());
    expect(style).not.toMatch(/https?:|"tiles"|"sprite"|"glyphs"|"url"/);
    expect(graticule(10).features.length).toBeGreaterThan(30);
  });
});
