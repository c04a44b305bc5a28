import { describe, expect, it } from "vitest";
import { back, blocker, credentialsChanged, endpointChanged, initialState, next, STEPS } from "./wizard";

describe("wizard steps", () => {
  it("moves forward only when the step's condition holds, and back always", () => {
    let s = initialState;
    expect(next(s).step).toBe("endpoint");
    expect(blocker(s)).toContain("Probe");
    s = next({ ...s, probed: true });
    expect(s.step).toBe("certificate");
    expect(back(s).step).toBe("endpoint");
    s = next({ ...s, certificateConfirmed: true });
    s = next({ ...s, checked: true });
    expect(s.step).toBe("permissions");
    expect(next(s).step).toBe("permissions");
    s = next({ ...s, discoveryGranted: true });
    s = next(s);
    s = next(s);
    expect(s.step).toBe("preview");
    s = next({ ...s, previewed: true });
    expect(s.step).toBe("save");
    expect(next(s).step).toBe("save");
    expect(STEPS).toHaveLength(8);
  });

  it("forgets what depended on a changed endpoint or token", () => {
    const done = { ...initialState, probed: true, certificateConfirmed: true, checked: true, discoveryGranted: true, previewed: true };
    expect(endpointChanged(done)).toMatchObject({ probed: false, certificateConfirmed: false, checked: false, previewed: false });
    expect(credentialsChanged(done)).toMatchObject({ probed: true, checked: false, discoveryGranted: false });
  });
});
