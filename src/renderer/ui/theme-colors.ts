import { type RefObject, useEffect, useRef } from 'react';
import { useStudio } from '../state/store';

/**
 * CSS variables resolved to colours a canvas can use, kept up to date when the theme changes (the
 * variables hold light-dark() pairs, which only computed styles resolve).
 */
export function useThemeColors<K extends string>(
  element: RefObject<HTMLElement | null>,
  variables: Record<K, string>,
): RefObject<Record<K, string> | null> {
  const colors = useRef<Record<K, string> | null>(null);
  const theme = useStudio((s) => s.theme);
  // biome-ignore lint/correctness/useExhaustiveDependencies: theme is the trigger; variables are constant
  useEffect(() => {
    const target = element.current;
    if (!target) return;
    const resolve = () => {
      const probe = document.createElement('span');
      target.append(probe);
      const next = {} as Record<K, string>;
      for (const key of Object.keys(variables) as K[]) {
        probe.style.color = `var(${variables[key]})`;
        next[key] = getComputedStyle(probe).color;
      }
      probe.remove();
      colors.current = next;
    };
    // After App has set the new theme on <html>, hence the next frame.
    const frame = requestAnimationFrame(resolve);
    const scheme = window.matchMedia('(prefers-color-scheme: dark)');
    scheme.addEventListener('change', resolve);
    return () => {
      cancelAnimationFrame(frame);
      scheme.removeEventListener('change', resolve);
    };
  }, [theme]);
  return colors;
}

/** Runs `draw` on every animation frame while mounted. */
export function useAnimationFrame(draw: (now: number) => void): void {
  const latest = useRef(draw);
  latest.current = draw;
  useEffect(() => {
    let frame = requestAnimationFrame(function tick(now) {
      latest.current(now);
      frame = requestAnimationFrame(tick);
    });
    return () => cancelAnimationFrame(frame);
  }, []);
}
