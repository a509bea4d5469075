import { describe, expect, it } from 'vitest';
import {
  parseArecordList,
  parseProcAsoundPcm,
} from '../../../src/main/services/recording/alsa-devices';
import { diffDevices } from '../../../src/main/services/recording/devices';
import {
  parseAvfoundationDevices,
  parseDshowDevices,
} from '../../../src/main/services/recording/ffmpeg-devices';
import {
  parsePactlDefaultSource,
  parsePactlSourcesJson,
  parsePactlSourcesText,
} from '../../../src/main/services/recording/pulse-devices';
import { AudioDevice } from '../../../src/shared/recording';

/*
 * macOS and Windows listings cannot be produced on this Linux machine, so the parsers run on real
 * output of those commands, copied from where people posted it:
 * - avfoundation, ffmpeg git-2020-02-22 (with a CoreMediaIO plug-in's log noise between the lines):
 *   https://github.com/mipops/dvrescue/pull/67 (comment by dericed, 2020-04-29)
 * - avfoundation, ffmpeg 3.x "AVFoundation input device" prefix, Soundflower loopback:
 *   https://github.com/muammar/mkchromecast/issues/40 (comment by PePeHa, 2017-01-29)
 * - avfoundation with BlackHole: https://github.com/sipsorcery-org/sipsorcery/issues/994
 * - dshow before ffmpeg 5 with alternative names:
 *   https://github.com/kapoorlakshya/screen-recorder/issues/89 (description, 2020-09-10)
 * - dshow without alternative names: https://trac.ffmpeg.org/wiki/DirectShow
 * - dshow from ffmpeg 5 on ("name" (audio) lines, no section headers): built from the format
 *   strings of FFmpeg's libavdevice/dshow.c (`"\"%s\""`, `" (%s"`, `", %s"`, `")"`,
 *   `"  Alternative name \"%s\"\n"`), as no posted sample was found.
 * - arecord -l: https://github.com/falkTX/Cadence/issues/109 (comment by milkmiruku, 2017-02-15)
 * - /proc/asound/pcm: https://github.com/HuskerMinion/techo5/pull/2
 * - pactl: captured from Debian 12's pulseaudio 16.1 (test/helpers/pulse.ts) with null sinks and a
 *   null source; volume lines trimmed from the text output.
 */

const avfoundationDvrescue = `% ffmpeg -f avfoundation -list_devices 1 -i hi
2020-04-29 10:43:54.878 ffmpeg[56121:3721878] MyPlugObjectGetPropertyDataSize
2020-04-29 10:43:54.878 ffmpeg[56121:3721878] elt 0
[AVFoundation indev @ 0x7fe73bc22200] AVFoundation video devices:
[AVFoundation indev @ 0x7fe73bc22200] [0] CamTwist
[AVFoundation indev @ 0x7fe73bc22200] [1] FaceTime HD Camera (Built-in)
[AVFoundation indev @ 0x7fe73bc22200] [2] CamTwist (2VUY)
[AVFoundation indev @ 0x7fe73bc22200] [3] DV-VCR
[AVFoundation indev @ 0x7fe73bc22200] [4] Capture screen 0
[AVFoundation indev @ 0x7fe73bc22200] AVFoundation audio devices:
[AVFoundation indev @ 0x7fe73bc22200] [0] Description
[AVFoundation indev @ 0x7fe73bc22200] [1] Jaybird Tarah Pro
[AVFoundation indev @ 0x7fe73bc22200] [2] Built-in Microphone
hi: Input/output error
2020-04-29 10:43:54.892 ffmpeg[56121:3721878] MyPlugTeardown
`;

const avfoundationMkchromecast = `[AVFoundation input device @ 0x7f87e5500300] AVFoundation video devices:
[AVFoundation input device @ 0x7f87e5500300] [0] FaceTime HD-camera (beeldscherm)
[AVFoundation input device @ 0x7f87e5500300] [1] FaceTime-camera (ingebouwd)
[AVFoundation input device @ 0x7f87e5500300] [2] Capture screen 0
[AVFoundation input device @ 0x7f87e5500300] AVFoundation audio devices:
[AVFoundation input device @ 0x7f87e5500300] [0] Soundflower (64ch)
[AVFoundation input device @ 0x7f87e5500300] [1] Built-in Microphone
[AVFoundation input device @ 0x7f87e5500300] [2] Soundflower (2ch)
[AVFoundation input device @ 0x7f87e5500300] [3] Display Audio
`;

const avfoundationBlackHole = `[AVFoundation indev @ 0x1247046a0] AVFoundation audio devices:
[AVFoundation indev @ 0x1247046a0] [0] BlackHole 2ch
`;

const dshowScreenRecorder = String.raw`[dshow @ 000001b4f22a92c0] DirectShow video devices (some may be both video and audio devices)
[dshow @ 000001b4f22a92c0]  "Integrated Camera"
[dshow @ 000001b4f22a92c0]     Alternative name "@device_pnp_\\?\usb#vid_04f2&pid_b449&mi_00#6&293a28f6&0&0000#{65e8773d-8f56-11d0-a3b9-00a0c9223196}\global"
[dshow @ 000001b4f22a92c0]  "screen-capture-recorder"
[dshow @ 000001b4f22a92c0]     Alternative name "@device_sw_{860BB310-5D01-11D0-BD3B-00A0C911CE86}\{4EA69364-2C8A-4AE6-A561-56E4B5044439}"
[dshow @ 000001b4f22a92c0] DirectShow audio devices
[dshow @ 000001b4f22a92c0]  "Microphone Array (Realtek High Definition Audio)"
[dshow @ 000001b4f22a92c0]     Alternative name "@device_cm_{33D9A762-90C8-11D0-BD43-00A0C911CE86}\wave_{A934E8B8-8964-43B4-9F78-2743DEE6DB09}"
[dshow @ 000001b4f22a92c0]  "virtual-audio-capturer"
[dshow @ 000001b4f22a92c0]     Alternative name "@device_sw_{33D9A762-90C8-11D0-BD43-00A0C911CE86}\{8E146464-DB61-4309-AFA1-3578E927E935}"
`;

const dshowTracWiki = `[dshow @ 03ACF580] DirectShow video devices
[dshow @ 03ACF580]  "Integrated Camera"
[dshow @ 03ACF580]  "screen-capture-recorder"
[dshow @ 03ACF580] DirectShow audio devices
[dshow @ 03ACF580]  "Internal Microphone (Conexant 2"
[dshow @ 03ACF580]  "virtual-audio-capturer"
dummy: Immediate exit requested
`;

const dshowModern = String.raw`[dshow @ 0000020d4c1e8c40] "Integrated Camera" (video)
[dshow @ 0000020d4c1e8c40]   Alternative name "@device_pnp_\\?\usb#vid_04f2&pid_b449&mi_00#6&293a28f6&0&0000#{65e8773d-8f56-11d0-a3b9-00a0c9223196}\global"
[dshow @ 0000020d4c1e8c40] "Microphone Array (Realtek High Definition Audio)" (audio)
[dshow @ 0000020d4c1e8c40]   Alternative name "@device_cm_{33D9A762-90C8-11D0-BD43-00A0C911CE86}\wave_{A934E8B8-8964-43B4-9F78-2743DEE6DB09}"
[dshow @ 0000020d4c1e8c40] "Stereo Mix (Realtek High Definition Audio)" (audio)
[dshow @ 0000020d4c1e8c40]   Alternative name "@device_cm_{33D9A762-90C8-11D0-BD43-00A0C911CE86}\wave_{8297745C-A133-46C5-A7BD-1056E6064A3E}"
[dshow @ 0000020d4c1e8c40] "Capture Card" (video, audio)
[dshow @ 0000020d4c1e8c40]   Alternative name "@device_pnp_capture_card"
dummy: Immediate exit requested
`;

const arecordCadence = `**** List of CAPTURE Hardware Devices ****
card 0: Intel [HDA Intel], device 0: ALC883 Analog [ALC883 Analog]
  Subdevices: 0/1
  Subdevice #0: subdevice #0
card 0: Intel [HDA Intel], device 2: ALC883 Alt Analog [ALC883 Alt Analog]
  Subdevices: 1/1
  Subdevice #0: subdevice #0
card 1: M2496 [M Audio Audiophile 24/96], device 0: ICE1712 multi [ICE1712 multi]
  Subdevices: 0/1
  Subdevice #0: subdevice #0
card 5: AK5370 [AK5370], device 0: USB Audio [USB Audio]
  Subdevices: 0/1
  Subdevice #0: subdevice #0
`;

const procAsoundPcm = `00-00: MultiMedia1_PLayback mt-soc-codec-tx-dai-0 :  : playback 1
00-01: MultiMedia1_Capture mt-soc-codec-rx-dai-1 :  : capture 1
00-02: Voice_MD1_PLayback mt-soc-codec-voicemd1-dai-2 :  : playback 1 : capture 1
00-07: I2S0DL1_PLayback mt-soc-codec-I2s0tx-dai-7 :  : playback 1
00-08: DL1_AWB_Record mt-soc-codec-dl1awb-dai-8 :  : capture 1
`;

const pactlJson =
  '[{"index":0,"state":"IDLE","name":"studio_test.monitor","description":"Monitor of Null Output","driver":"module-null-sink.c","sample_specification":"s16le 2ch 44100Hz","channel_map":"front-left,front-right","owner_module":1,"mute":false,"monitor_source":"studio_test","latency":{"actual":0.00,"configured":2000000.00},"flags":["DECIBEL_VOLUME","LATENCY"],"properties":{"device.description":"Monitor of Null Output","device.class":"monitor","device.icon_name":"audio-input-microphone"},"ports":[],"active_port":null,"formats":["pcm"]},' +
  '{"index":1,"state":"IDLE","name":"studio_mic","description":"Null Input","driver":"module-null-source.c","sample_specification":"s16le 2ch 44100Hz","channel_map":"front-left,front-right","owner_module":2,"mute":false,"volume":{"front-left":{"value":65536,"value_percent":"100%","db":"0.00 dB"},"front-right":{"value":65536,"value_percent":"100%","db":"0.00 dB"}},"balance":0.00,"base_volume":{"value":65536,"value_percent":"100%","db":"0.00 dB"},"monitor_source":"","latency":{"actual":4804.00,"configured":2000000.00},"flags":["DECIBEL_VOLUME","LATENCY"],"properties":{"device.description":"Null Input","device.class":"abstract","device.icon_name":"audio-input-microphone"},"ports":[],"active_port":null,"formats":["pcm"]}]';

const pactlText = `Source #0
	State: IDLE
	Name: studio_test.monitor
	Description: Monitor of Null Output
	Driver: module-null-sink.c
	Sample Specification: s16le 2ch 44100Hz
	Channel Map: front-left,front-right
	Owner Module: 1
	Mute: no
	Monitor of Sink: studio_test
	Latency: 0 usec, configured 2000000 usec
	Flags: DECIBEL_VOLUME LATENCY 
	Properties:
		device.description = "Monitor of Null Output"
		device.class = "monitor"
		device.icon_name = "audio-input-microphone"
	Formats:
		pcm

Source #1
	State: IDLE
	Name: second.monitor
	Description: Monitor of Second
	Driver: module-null-sink.c
	Sample Specification: s16le 1ch 48000Hz
	Channel Map: mono
	Owner Module: 2
	Mute: no
	Monitor of Sink: second
	Properties:
		device.description = "Monitor of Second"
		device.class = "monitor"
	Formats:
		pcm

Source #2
	State: IDLE
	Name: studio_mic
	Description: Null Input
	Driver: module-null-source.c
	Sample Specification: s16le 2ch 44100Hz
	Channel Map: front-left,front-right
	Owner Module: 3
	Mute: no
	Monitor of Sink: n/a
	Latency: 6334 usec, configured 2000000 usec
	Flags: DECIBEL_VOLUME LATENCY 
	Properties:
		device.description = "Null Input"
		device.class = "abstract"
		device.icon_name = "audio-input-microphone"
	Formats:
		pcm
`;

const summary = (devices: AudioDevice[]) =>
  devices.map((d) => {
    AudioDevice.parse(d);
    return `${d.kind} ${d.id} | ${d.name}`;
  });

describe('avfoundation listing (macOS)', () => {
  it('takes the audio section only, past plug-in log noise, with names as ids', () => {
    expect(summary(parseAvfoundationDevices(avfoundationDvrescue))).toEqual([
      'input Description | Description',
      'input Jaybird Tarah Pro | Jaybird Tarah Pro',
      'input Built-in Microphone | Built-in Microphone',
    ]);
  });

  it('reads the older "AVFoundation input device" prefix and knows loopback drivers as system audio', () => {
    expect(summary(parseAvfoundationDevices(avfoundationMkchromecast))).toEqual([
      'system Soundflower (64ch) | Soundflower (64ch)',
      'input Built-in Microphone | Built-in Microphone',
      'system Soundflower (2ch) | Soundflower (2ch)',
      'input Display Audio | Display Audio',
    ]);
    expect(parseAvfoundationDevices(avfoundationBlackHole)).toEqual([
      {
        id: 'BlackHole 2ch',
        name: 'BlackHole 2ch',
        kind: 'system',
        channels: null,
        defaultRate: null,
        backend: 'avfoundation',
        isDefault: false,
      },
    ]);
  });
});

describe('dshow listing (Windows)', () => {
  it('takes the audio section of the pre-5.0 shape, with the alternative name as id', () => {
    expect(summary(parseDshowDevices(dshowScreenRecorder))).toEqual([
      'input @device_cm_{33D9A762-90C8-11D0-BD43-00A0C911CE86}\\wave_{A934E8B8-8964-43B4-9F78-2743DEE6DB09} | Microphone Array (Realtek High Definition Audio)',
      'system @device_sw_{33D9A762-90C8-11D0-BD43-00A0C911CE86}\\{8E146464-DB61-4309-AFA1-3578E927E935} | virtual-audio-capturer',
    ]);
  });

  it('falls back to the friendly name where there is no alternative name', () => {
    expect(summary(parseDshowDevices(dshowTracWiki))).toEqual([
      'input Internal Microphone (Conexant 2 | Internal Microphone (Conexant 2',
      'system virtual-audio-capturer | virtual-audio-capturer',
    ]);
  });

  it('reads the 5.0+ shape by its media types, including a device that is both', () => {
    expect(summary(parseDshowDevices(dshowModern))).toEqual([
      'input @device_cm_{33D9A762-90C8-11D0-BD43-00A0C911CE86}\\wave_{A934E8B8-8964-43B4-9F78-2743DEE6DB09} | Microphone Array (Realtek High Definition Audio)',
      'system @device_cm_{33D9A762-90C8-11D0-BD43-00A0C911CE86}\\wave_{8297745C-A133-46C5-A7BD-1056E6064A3E} | Stereo Mix (Realtek High Definition Audio)',
      'input @device_pnp_capture_card | Capture Card',
    ]);
  });
});

describe('ALSA listing (Linux without a sound server)', () => {
  it('reads arecord -l as hw:CARD,DEV with card and device names', () => {
    expect(summary(parseArecordList(arecordCadence))).toEqual([
      'input hw:0,0 | HDA Intel: ALC883 Analog',
      'input hw:0,2 | HDA Intel: ALC883 Alt Analog',
      'input hw:1,0 | M Audio Audiophile 24/96: ICE1712 multi',
      'input hw:5,0 | AK5370: USB Audio',
    ]);
  });

  it('keeps only capture devices from /proc/asound/pcm', () => {
    expect(summary(parseProcAsoundPcm(procAsoundPcm))).toEqual([
      'input hw:0,1 | MultiMedia1_Capture mt-soc-codec-rx-dai-1',
      'input hw:0,2 | Voice_MD1_PLayback mt-soc-codec-voicemd1-dai-2',
      'input hw:0,8 | DL1_AWB_Record mt-soc-codec-dl1awb-dai-8',
    ]);
  });
});

describe('pactl listing', () => {
  it('reads JSON: monitors are system audio, spec gives channels and rate, default marked', () => {
    expect(parsePactlSourcesJson(pactlJson, 'studio_mic')).toEqual([
      {
        id: 'studio_test.monitor',
        name: 'Monitor of Null Output',
        kind: 'system',
        channels: 2,
        defaultRate: 44100,
        backend: 'pulse',
        isDefault: false,
      },
      {
        id: 'studio_mic',
        name: 'Null Input',
        kind: 'input',
        channels: 2,
        defaultRate: 44100,
        backend: 'pulse',
        isDefault: true,
      },
    ]);
  });

  it('reads the text output of a pactl without --format the same way', () => {
    const devices = parsePactlSourcesText(pactlText, 'studio_test.monitor');
    expect(devices.map((d) => [d.id, d.kind, d.channels, d.defaultRate, d.isDefault])).toEqual([
      ['studio_test.monitor', 'system', 2, 44100, true],
      ['second.monitor', 'system', 1, 48000, false],
      ['studio_mic', 'input', 2, 44100, false],
    ]);
  });

  it('finds the default source in JSON and text info', () => {
    expect(parsePactlDefaultSource('{"default_source_name":"studio_test.monitor"}')).toBe(
      'studio_test.monitor',
    );
    expect(parsePactlDefaultSource('Default Sink: t\nDefault Source: t.monitor\n')).toBe(
      't.monitor',
    );
    expect(parsePactlDefaultSource('Server Name: pulseaudio\n')).toBeNull();
  });
});

describe('diffDevices', () => {
  it('matches devices by backend and id', () => {
    const [monitor, mic] = parsePactlSourcesJson(pactlJson, null) as [AudioDevice, AudioDevice];
    const alsaMic = { ...mic, backend: 'alsa' as const };
    const change = diffDevices([monitor, mic], [mic, alsaMic]);
    expect(change.added).toEqual([alsaMic]);
    expect(change.removed).toEqual([monitor]);
  });
});
