/**
 * The lab action API: every lab action written once, for the CLI, the lab UI and the game-day
 * clients. It takes ports (built by the composition root, src/app/compose.ts, or by tests) and
 * owns every lab rule. Each family of actions is one file of engine/lab/, over one shared
 * LabContext (lab/context.ts: the ports, the options, the session's state, the shared helpers);
 * createLab only assembles them. Where a rule lives:
 *
 * - which context may be changed: core/context.ts decideContext, asked through engine/contextGate.ts (lab/context.ts allow)
 *   and lab/machine.ts (clusterTarget) and nowhere else;
 * - what start does to a previous run: lab/start.ts replacePreviousRuns;
 * - when a best time counts: core/progress.ts, applied by lab/verify.ts recordVerdict;
 * - whether the learner's diagnosis names the scenario's cause: lab/diagnosis.ts checkDiagnosis;
 * - whether crashlab's own kind cluster is used: core/preflight.ts usesKind, asked in lab/machine.ts.
 *
 * Clients parse their input, call these methods and format what comes back.
 */
import { catalogActions } from './lab/catalog.js';
import { LabContext, type LabOptions, type LabPorts } from './lab/context.js';
import { debriefActions } from './lab/debrief.js';
import { diagnosisActions } from './lab/diagnosis.js';
import { fixActions } from './lab/fix.js';
import { hintActions } from './lab/hints.js';
import { machineActions } from './lab/machine.js';
import { observeActions } from './lab/observe.js';
import { resetActions } from './lab/reset.js';
import { startActions } from './lab/start.js';
import { teamActions } from './lab/team.js';
import { verifyActions } from './lab/verify.js';

/** Every family of lab actions by name; each is a set of methods over one LabContext. */
const FAMILIES = {
  machine: machineActions,
  catalog: catalogActions,
  start: startActions,
  observe: observeActions,
  hints: hintActions,
  diagnosis: diagnosisActions,
  fix: fixActions,
  verify: verifyActions,
  debrief: debriefActions,
  reset: resetActions,
  team: teamActions,
};
export type LabFamily = keyof typeof FAMILIES;
export const ALL_LAB_FAMILIES = Object.keys(FAMILIES) as LabFamily[];

type Intersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;
/** The methods of the families `F`: what a client that calls only those gets. */
export type LabFamilies<F extends LabFamily> = Intersection<ReturnType<(typeof FAMILIES)[F]>>;
export type LabApi = LabFamilies<LabFamily>;

/**
 * The methods of `families` over one lab: a CLI command builds only the families it calls, over
 * the one context of its command line (so a context is confirmed once however many it builds).
 */
export function labFamilies<F extends LabFamily>(lab: LabContext, families: readonly F[]): LabFamilies<F> {
  return Object.assign({}, ...families.map((family) => FAMILIES[family](lab))) as LabFamilies<F>;
}

export function createLab(ports: LabPorts, options: LabOptions): LabApi {
  return labFamilies(new LabContext(ports, options), ALL_LAB_FAMILIES);
}
