import { describe, expect, it } from 'vitest';
import { RateMeter, SseParser } from './weights-net';

describe('SseParser', () => {
  it('parses events split across chunks, with CRLF, comments and multi-line data', () => {
    const p = new SseParser();
    const events = [
      ...p.feed(': keep-alive\r\nevent: progress\r\ndata: {"receivedBytes":1,'),
      ...p.feed('"totalBytes":4}\r\n\r'),
      ...p.feed('\nevent: done\ndata: {"fileName":"a.h5"}\n\n'),
      ...p.feed('data: line1\ndata: line2\n\n'),
    ];
    expect(events).toEqual([
      { event: 'progress', data: '{"receivedBytes":1,"totalBytes":4}' },
      { event: 'done', data: '{"fileName":"a.h5"}' },
      { event: 'message', data: 'line1\nline2' },
    ]);
  });

  it('waits for the blank line before emitting, and ignores events without data', () => {
    const p = new SseParser();
    expect(p.feed('event: error\ndata: {"code":"offline"}\n')).toEqual([]);
    expect(p.feed('\n')).toEqual([{ event: 'error', data: '{"code":"offline"}' }]);
    expect(p.feed('event: ping\n\n')).toEqual([]);
  });

  it('strips exactly one space after the colon', () => {
    const p = new SseParser();
    expect(p.feed('data:  two\n\n')).toEqual([{ event: 'message', data: ' two' }]);
  });
});

describe('RateMeter', () => {
  it('measures bytes per second over its window', () => {
    const m = new RateMeter(1000);
    expect(m.add(0, 0)).toBe(0);
    expect(m.add(500, 1000)).toBe(2000);
    expect(m.add(1000, 3000)).toBe(3000);
    // Samples older than the window leave it: the rate over 1000..2000 ms.
    expect(m.add(2000, 4000)).toBeCloseTo(1000, 6);
  });
});
