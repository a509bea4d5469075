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
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name }: { name: IconName }) {
  return (
    <svg className="icon-svg" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
      <path d={PATHS[name]} fill="currentColor" fillRule="evenodd" />
    </svg>
  );
}
