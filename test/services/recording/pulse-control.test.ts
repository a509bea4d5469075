// pactl's text as the recorder's controls read it: output copied from pulseaudio 16.1 (pactl
// get-source-volume, pactl list sink-inputs) on this machine.
import { describe, expect, it } from 'vitest';
import {
  parsePactlVolume,
  parseSinkInputsOfModule,
} from '../../../src/main/services/recording/pulse-control';

describe('pactl output', () => {
  it('reads a source volume in percent from the raw values (the loudest channel)', () => {
    expect(
      parsePactlVolume(
        'Volume: front-left: 32768 /  50% / -18.06 dB,   front-right: 32768 /  50% / -18.06 dB\n        balance 0.00\n',
      ),
    ).toBe(50);
    expect(parsePactlVolume('Volume: mono: 98304 / 150% / 10.57 dB\n        balance 0.00\n')).toBe(
      150,
    );
    expect(
      parsePactlVolume(
        'Volume: front-left: 65536 / 100% / 0.00 dB,   front-right: 52429 /  80% / -5.81 dB\n',
      ),
    ).toBe(100);
    expect(parsePactlVolume('Failed to get source information: No such entity')).toBeNull();
  });

  it('finds the sink input a loopback module owns', () => {
    const text = [
      'Sink Input #1',
      '\tDriver: protocol-native.c',
      '\tOwner Module: n/a',
      '\tClient: 11',
      '\tSink: 0',
      'Sink Input #2',
      '\tDriver: module-loopback.c',
      '\tOwner Module: 3',
      '\tClient: n/a',
      '\tSink: 1',
      'Sink Input #7',
      '\tDriver: module-loopback.c',
      '\tOwner Module: 13',
      '',
    ].join('\n');
    expect(parseSinkInputsOfModule(text, 3)).toEqual([2]);
    expect(parseSinkInputsOfModule(text, 13)).toEqual([7]);
    expect(parseSinkInputsOfModule(text, 1)).toEqual([]);
  });
});
