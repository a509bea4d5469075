/**
 * Icons as inline SVG: emoji and symbol glyphs depend on the fonts a system has installed and
 * render as empty boxes on some Linux desktops.
 */
const PATHS = {
  trash: 'M9 3h6l1 2h4v2H4V5h4l1-2zm-3 6h12l-1 12H7L6 9zm4 2v8h1.5v-8H10zm3.5 0v8H15v-8h-1.5z',
  play: 'M8 5v14l11-7z',
  pause: 'M7 5h4v14H7zm6 0h4v14h-4z',
  up: 'M12 5l-7 7h4.5v7h5v-7H19z',
  down: 'M12 19l7-7h-4.5V5h-5v7H5z',
  restore: 'M12 5a7 7 0 1 1-6.3 4H3l3.5-4L10 9H7.9A5 5 0 1 0 12 7V5z',
  close:
    'M6.4 5L5 6.4 10.6 12 5 17.6 6.4 19l5.6-5.6 5.6 5.6 1.4-1.4-5.6-5.6L19 6.4 17.6 5 12 10.6z',
  theme: 'M12 3a9 9 0 1 0 0 18V3z',
  record: 'M12 5a7 7 0 1 0 0 14 7 7 0 0 0 0-14z',
  stop: 'M6 6h12v12H6z',
  marker: 'M6 3h2v18H6zm3 1h10l-3 4 3 4H9z',
  add: 'M11 5h2v6h6v2h-6v6h-2v-6H5v-2h6z',
  split: 'M11 2h2v20h-2zM3 7h6v10H3zm12 0h6v10h-6z',
  undo: 'M8 7V3L2 9l6 6v-4h7a4 4 0 0 1 0 8h-3v2h3a6 6 0 0 0 0-12H8z',
  redo: 'M16 7V3l6 6-6 6v-4H9a4 4 0 0 0 0 8h3v2H9A6 6 0 0 1 9 7h7z',
  zoomIn:
    'M10 3a7 7 0 0 1 5.6 11.2l5.1 5.1-1.4 1.4-5.1-5.1A7 7 0 1 1 10 3zm0 2a5 5 0 1 0 0 10 5 5 0 0 0 0-10zm-1 2h2v2h2v2h-2v2H9v-2H7V9h2z',
  zoomOut:
    'M10 3a7 7 0 0 1 5.6 11.2l5.1 5.1-1.4 1.4-5.1-5.1A7 7 0 1 1 10 3zm0 2a5 5 0 1 0 0 10 5 5 0 0 0 0-10zM7 9h6v2H7z',
  fit: 'M3 3h6v2H5v4H3zm12 0h6v6h-2V5h-4zM3 15h2v4h4v2H3zm16 0h2v6h-6v-2h4z',
  help: 'M12 2a10 10 0 1 1 0 20 10 10 0 0 1 0-20zm0 14a1.3 1.3 0 1 0 0 2.6 1.3 1.3 0 0 0 0-2.6zM12 6a4 4 0 0 0-4 4h2a2 2 0 1 1 3 1.7c-1.2.7-2 1.6-2 3.3h2c0-1 .4-1.4 1.2-1.9A4 4 0 0 0 12 6z',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name }: { name: IconName }) {
  return (
    <svg className="icon-svg" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
      <path d={PATHS[name]} fill="currentColor" fillRule="evenodd" />
    </svg>
  );
}
