package dev.nimbus.wizard.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.local.LocalEnvironment;
import dev.nimbus.local.LocalOptions;
import dev.nimbus.pvesim.ApiToken;
import dev.nimbus.pvesim.PveSimulator;
import dev.nimbus.pvesim.Roles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Walks the wizard in headless Chromium (Debian's chromium and chromium-driver) at 360 px width,
 * against the local wizard server and a simulated cluster: sign in locally, probe, confirm the
 * certificate, check a token, read the permission checklist, keep the scope and schedule, preview,
 * save, and run the first discovery until the connection is ACTIVE; then open the usage page (its
 * chunk, with the chart library, loads on first visit) and see a range in the future refused beside
 * its input before any usage request. A screenshot of each step goes to target/screenshots.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WizardBrowserIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private LocalEnvironment env;
  private WizardLocal local;
  private LocalLambda lambda;
  private WebDriver browser;
  private final Path shots = Path.of("target", "screenshots");

  @BeforeAll
  void start() throws IOException {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      throw new IllegalStateException(
          "the browser test needs Debian's chromium and chromium-driver:"
              + " apt-get install chromium chromium-driver");
    }
    Path spa = Path.of("../../functions/wizard/spa/dist").toAbsolutePath().normalize();
    if (!Files.isRegularFile(spa.resolve("index.html"))) {
      throw new IllegalStateException("the SPA is not built: mvn -pl functions/wizard package");
    }
    Path dir = Files.createTempDirectory("wizard-browser");
    env =
        LocalEnvironment.start(
            LocalOptions.parse(List.of()),
            dir,
            new LocalEnvironment.Names(
                "nimbus-browser-" + System.nanoTime(),
                "alias/nimbus-browser-" + System.nanoTime(),
                "nimbus-browser-discovery-" + System.nanoTime(),
                "nimbus-browser-events",
                "local",
                "demo"),
            System.out);
    lambda = WizardLocal.startUsageFunction(env.info(), System.out);
    WizardLocal.configure(env.info(), lambda.endpoint());
    WizardLocal.startQueueWorker(env.info());
    local = new WizardLocal(spa, 0);
    local.start();
    Files.createDirectories(shots);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=360,1600",
        "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    browser = new ChromeDriver(service, options);
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (local != null) {
      local.stop();
    }
    if (lambda != null) {
      lambda.close();
    }
    if (env != null) {
      env.close();
    }
  }

  private WebElement wait(By by) {
    return new WebDriverWait(browser, Duration.ofSeconds(30))
        .until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  private static By button(String text) {
    return By.xpath("//button[normalize-space()='" + text + "']");
  }

  private void type(String name, String value) {
    WebElement input = wait(By.name(name));
    input.clear();
    input.sendKeys(value);
  }

  private void shot(String name) throws IOException {
    Files.write(
        shots.resolve(name + ".png"),
        ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }

  @Test
  void aUserWalksTheWizardFromProbeToASavedConnectionAndItsFirstRun() throws Exception {
    PveSimulator sim = env.simulator().orElseThrow();
    ApiToken token = sim.createToken("wizard@pve", "browser", Roles.PVE_AUDITOR, true);

    browser.get("http://127.0.0.1:" + local.port() + "/");
    wait(By.xpath("//*[contains(text(),'Local sign-in')]"));
    shot("00-sign-in");
    wait(button("Sign in locally")).click();

    type("connectionId", "browser");
    type("name", "Browser lab");
    type("host", "127.0.0.1");
    type("port", Integer.toString(sim.port()));
    shot("01-endpoint");
    wait(button("Probe the certificate")).click();

    WebElement fingerprint = wait(By.cssSelector("[data-testid=fingerprint]"));
    assertThat(fingerprint.getText()).isEqualTo(sim.fingerprint(sim.entryNode()));
    shot("02-certificate");
    wait(button("The fingerprint matches: trust it")).click();

    type("tokenId", token.fullId());
    type("tokenSecret", token.secret());
    shot("03-credentials");
    wait(button("Check the token")).click();

    WebElement checklist = wait(By.cssSelector("[aria-label='Permission checklist']"));
    assertThat(checklist.getText()).contains("✔ Discovery").contains("Fast change detection");
    assertThat(checklist.getText()).contains("pveum acl modify");
    shot("04-permissions");
    wait(button("Next")).click();

    wait(By.xpath("//legend[text()='What to discover']"));
    shot("05-scope");
    wait(button("Next")).click();

    assertThat(wait(By.name("schedule")).getAttribute("value")).isEqualTo("rate(15 minutes)");
    shot("06-schedule");
    wait(button("Next")).click();

    wait(button("Run the preview (nothing is stored)")).click();
    WebElement preview = wait(By.cssSelector("[data-testid=preview]"));
    assertThat(preview.getText()).contains(sim.cluster().guests().size() + " compute");
    shot("07-preview");
    wait(button("Next")).click();

    wait(button("Save the connection")).click();
    wait(By.xpath("//*[@role='status' and contains(.,'Saved.')]"));
    shot("08-saved");
    wait(button("Run the first discovery now")).click();

    By status = By.cssSelector("[data-testid=connection-browser] [data-testid=status]");
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!wait(status).getText().equals("ACTIVE") && System.nanoTime() < deadline) {
      Thread.sleep(1000);
      wait(button("Refresh")).click();
    }
    assertThat(wait(status).getText()).isEqualTo("ACTIVE");
    assertThat(wait(By.cssSelector("[data-testid=connection-browser]")).getText())
        .contains("Last run: succeeded");
    shot("09-first-run");

    wait(button("Usage")).click();
    WebElement connection = wait(By.id("usage-connection"));
    assertThat(connection.getText()).contains("browser");
    type("key", "qemu/100");
    // A datetime-local input takes keys in the browser's locale format; set its value as React
    // sees a user's edit (the native setter, then an input event).
    ((JavascriptExecutor) browser)
        .executeScript(
            "const el = arguments[0];"
                + "Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')"
                + ".set.call(el, '2099-01-01T00:00');"
                + "el.dispatchEvent(new Event('input', {bubbles: true}));",
            wait(By.name("from")));
    wait(button("Show usage")).click();
    assertThat(
            wait(By.xpath("//*[@role='alert' and contains(.,'is in the future')]")).isDisplayed())
        .isTrue();
    assertThat(wait(By.name("from")).getAttribute("aria-invalid")).isEqualTo("true");
    shot("10-usage-range-refused");
  }
}
