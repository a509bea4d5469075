#!/usr/bin/env node
// The CLI runs the TypeScript services directly through tsx, the same code the app bundles.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
