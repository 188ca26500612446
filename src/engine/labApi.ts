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

export type LabApi = ReturnType<typeof createLab>;

export function createLab(ports: LabPorts, options: LabOptions) {
  const lab = new LabContext(ports, options);
  return {
    ...machineActions(lab),
    ...catalogActions(lab),
    ...startActions(lab),
    ...observeActions(lab),
    ...hintActions(lab),
    ...diagnosisActions(lab),
    ...fixActions(lab),
    ...verifyActions(lab),
    ...debriefActions(lab),
    ...resetActions(lab),
    ...teamActions(lab),
  };
}
