/** The simulator's entry points (see docs/simulate.md). */
export { simulate, poolSpecs } from './simulation';
export type { SimulationReport, SimulationInput, MonthlyCost, WakeStats, TenantReport } from './simulation';
export { builtinProfile, loadProfile, parseProfileText, withActiveFraction, ProfileError, BUILTIN_NAMES } from './profile';
export type { Profile } from './profile';
export { renderHuman, renderMarkdown, renderJson, mermaidTimeline } from './render';
