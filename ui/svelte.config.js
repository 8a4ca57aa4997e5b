// Svelte 5 compiles TypeScript in <script lang="ts"> natively; no preprocessors needed.
export default {};
