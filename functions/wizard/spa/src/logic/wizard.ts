// The wizard's steps and when each may be left forward. Back is always allowed.

export const STEPS = [
  "endpoint",
  "certificate",
  "credentials",
  "permissions",
  "scope",
  "schedule",
  "preview",
  "save",
] as const;
export type Step = (typeof STEPS)[number];

export const STEP_TITLES: Record<Step, string> = {
  endpoint: "Endpoint and tunnel",
  certificate: "Certificate",
  credentials: "Credentials",
  permissions: "Permissions",
  scope: "Scope",
  schedule: "Schedule",
  preview: "Preview",
  save: "Save",
};

export interface WizardState {
  step: Step;
  probed: boolean;
  certificateConfirmed: boolean;
  checked: boolean;
  discoveryGranted: boolean;
  scopeValid: boolean;
  scheduleValid: boolean;
  previewed: boolean;
}

export const initialState: WizardState = {
  step: "endpoint",
  probed: false,
  certificateConfirmed: false,
  checked: false,
  discoveryGranted: false,
  scopeValid: true,
  scheduleValid: true,
  previewed: false,
};

/** Why the current step cannot be left forward yet, or null. */
export function blocker(s: WizardState): string | null {
  switch (s.step) {
    case "endpoint":
      return s.probed ? null : "Probe the endpoint first.";
    case "certificate":
      return s.certificateConfirmed ? null : "Compare the fingerprint and confirm it.";
    case "credentials":
      return s.checked ? null : "Check a token, or mint one.";
    case "permissions":
      return s.discoveryGranted ? null : "Discovery needs the missing privileges: run the commands, then check again.";
    case "scope":
      return s.scopeValid ? null : "Choose at least one pool or node, or everything.";
    case "schedule":
      return s.scheduleValid ? null : "Fix the schedule.";
    case "preview":
      return s.previewed ? null : "Run the preview.";
    case "save":
      return "This is the last step.";
  }
}

export function next(s: WizardState): WizardState {
  if (blocker(s) !== null) return s;
  const i = STEPS.indexOf(s.step);
  return { ...s, step: STEPS[Math.min(i + 1, STEPS.length - 1)] };
}

export function back(s: WizardState): WizardState {
  const i = STEPS.indexOf(s.step);
  return { ...s, step: STEPS[Math.max(i - 1, 0)] };
}

/** Changing an earlier answer invalidates what was learnt from it. */
export function endpointChanged(s: WizardState): WizardState {
  return { ...s, probed: false, certificateConfirmed: false, checked: false, discoveryGranted: false, previewed: false };
}

export function credentialsChanged(s: WizardState): WizardState {
  return { ...s, checked: false, discoveryGranted: false, previewed: false };
}
