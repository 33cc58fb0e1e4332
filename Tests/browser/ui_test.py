#!/usr/bin/env python3
"""The web UI in a real browser: Debian's chromium through chromium-driver, driven by selenium.

Run by Tests/EndToEndTests/WebUIBrowserTests.swift against `pipeline-agent serve` (AGENT_UI=on,
behind the ingest token) after a real end-to-end run filled its database. Opens every page,
checks its content, runs axe-core on it (fails on serious or critical violations), saves
screenshots (light and dark), and checks that a hostile log line shows as text and runs nothing.
Exits 0 when every check passed; prints one line per check and every failure.
"""
import argparse
import json
import os
import sys
import urllib.parse

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

failures = []


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message, flush=True)
    if not condition:
        failures.append(message)


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    # As root (CI containers) chromium needs --no-sandbox.
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1280,900", "--force-device-scale-factor=1"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(60)
    return driver


class UITest:
    def __init__(self, driver, base, screenshots):
        self.driver = driver
        self.base = base.rstrip("/")
        self.screenshots = screenshots

    def open(self, path):
        self.driver.get(self.base + path)

    def path(self):
        parsed = urllib.parse.urlparse(self.driver.current_url)
        return parsed.path + ("?" + parsed.query if parsed.query else "")

    def text(self):
        return self.driver.find_element(By.TAG_NAME, "body").text

    def wait_for(self, condition, what):
        """Waits (10 s at most) after a click or submit, until the next page is there."""
        try:
            WebDriverWait(self.driver, 10).until(lambda driver: condition())
        except Exception:  # noqa: BLE001 - the check that follows reports it
            print(f"     timed out waiting for {what}", flush=True)

    def no_alert(self, where):
        try:
            alert = self.driver.switch_to.alert
            check(False, f"{where}: no alert opened (one says {alert.text!r})")
            alert.dismiss()
        except NoAlertPresentException:
            check(True, f"{where}: no alert opened")

    def axe(self, name):
        axe = Axe(self.driver)
        axe.inject()
        results = axe.run()
        bad = [v for v in results["violations"] if v.get("impact") in ("serious", "critical")]
        for violation in bad:
            nodes = "; ".join(node.get("target", [""])[0] if node.get("target") else "" for node in violation["nodes"][:5])
            print(f"     axe {violation['impact']}: {violation['id']}: {violation['help']} at {nodes}", flush=True)
        others = [v["id"] for v in results["violations"] if v not in bad]
        check(not bad, f"{name}: axe-core finds no serious or critical violation"
              + (f" (minor: {', '.join(others)})" if others else ""))

    def shoot(self, name, full=True, max_height=1800):
        """Saves a screenshot: the viewport, or (full) the page from its top, up to max_height."""
        os.makedirs(self.screenshots, exist_ok=True)
        path = os.path.join(self.screenshots, name + ".png")
        self.driver.execute_script("window.scrollTo(0, 0)")
        if full:
            height = min(self.driver.execute_script("return document.documentElement.scrollHeight"), max_height)
            self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                        {"width": 1280, "height": max(height, 400), "deviceScaleFactor": 1, "mobile": False})
        self.driver.save_screenshot(path)
        if full:
            self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        print(f"     screenshot {path}", flush=True)

    def dark(self, on):
        self.driver.execute_cdp_cmd("Emulation.setEmulatedMedia",
                                    {"features": [{"name": "prefers-color-scheme", "value": "dark" if on else "light"}]})

    def csp_violations(self):
        try:
            logs = self.driver.get_log("browser")
        except Exception:  # noqa: BLE001 - not every driver keeps logs
            return []
        return [entry["message"] for entry in logs if "Content Security Policy" in entry.get("message", "")]


def run(args):
    expect = json.loads(args.expect)
    driver = browser()
    ui = UITest(driver, args.base_url, args.screenshots)
    try:
        # Without the token: the login form.
        ui.open("/ui/jobs")
        check(ui.path().startswith("/ui/login"), f"without the token /ui/jobs leads to the login form ({ui.path()})")
        ui.axe("login")
        ui.shoot("login", full=False)
        field = driver.find_element(By.ID, "token")
        field.send_keys("not-the-token")
        field.submit()
        ui.wait_for(lambda: "That is not the ingest token." in ui.text(), "the refusal")
        check("That is not the ingest token." in ui.text(), "a wrong token is refused")
        field = driver.find_element(By.ID, "token")
        field.send_keys(args.token)
        field.submit()
        ui.wait_for(lambda: ui.path() == "/ui/jobs", "the jobs page")
        check(ui.path() == "/ui/jobs", f"the token logs in and returns to the jobs ({ui.path()})")
        cookies = {c["name"]: c for c in driver.get_cookies()}
        cookie = cookies.get("agent_ui_token", {})
        check(cookie.get("httpOnly") is True and cookie.get("sameSite") == "Strict", f"the login cookie is HttpOnly and SameSite=Strict ({cookie})")
        check(driver.execute_script("return document.cookie") == "", "page scripts cannot read the login cookie")

        # Jobs.
        body = ui.text()
        for job in expect["jobs"]:
            check(driver.find_elements(By.CSS_SELECTOR, f'a[href="/ui/jobs/{job["id"]}"]') != [], f"jobs: job {job['id']} is listed")
            check(job["pod"] in body, f"jobs: pod {job['pod']} is shown")
        for state, count in expect["counts"].items():
            link = driver.find_element(By.CSS_SELECTOR, f'ul.counts a[href="/ui/jobs?state={state}"]')
            check(link.text.split()[-1] == str(count), f"jobs: {count} {state} ({link.text})")
        ui.axe("jobs")
        ui.shoot("jobs")
        Select(driver.find_element(By.ID, "f-state")).select_by_visible_text("failed")
        driver.find_element(By.CSS_SELECTOR, "form.filters button").click()
        ui.wait_for(lambda: "state=failed" in driver.current_url, "the filtered jobs")
        states = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "table.jobs tbody .badge")]
        check(ui.path().startswith("/ui/jobs?state=failed") and states and set(states) == {"failed"},
              f"jobs: the state filter shows failed jobs only ({states})")
        ui.open("/ui/jobs?q=" + urllib.parse.quote(expect["search"]))
        rows = driver.find_elements(By.CSS_SELECTOR, "table.jobs tbody tr")
        check(len(rows) == expect["search_hits"], f"jobs: text search {expect['search']!r} finds {expect['search_hits']} ({len(rows)})")

        # A job.
        job = expect["issue_job"]
        ui.open(f"/ui/jobs/{job}")
        issue = driver.find_elements(By.CSS_SELECTOR, f'p.issue a[href="{expect["issue_url"]}"]')
        check(issue != [], f"job {job}: links its issue {expect['issue_url']}")
        attempts = driver.find_elements(By.CSS_SELECTOR, "table.attempts tbody tr")
        check(len(attempts) >= 1 and "succeeded" in attempts[-1].text, f"job {job}: its attempt succeeded ({[a.text for a in attempts]})")
        tokens = driver.find_elements(By.CSS_SELECTOR, "table.attempts tbody tr td:nth-child(8)")
        check(tokens and tokens[-1].text not in ("", "0 / 0"), f"job {job}: the attempt has tokens ({[t.text for t in tokens]})")
        ui.axe("job")
        ui.shoot("job")
        failed = expect["failed_job"]
        ui.open(f"/ui/jobs/{failed}")
        check("Last error" in ui.text() and expect["failed_error"] in ui.text(), f"job {failed}: shows its last error")
        ui.axe("failed job")

        # Its transcript, reached by the link.
        ui.open(f"/ui/jobs/{job}")
        driver.find_element(By.CSS_SELECTOR, f'a[href="/ui/jobs/{job}/attempts/{expect["issue_attempt"]}"]').click()
        ui.wait_for(lambda: "/attempts/" in driver.current_url, "the transcript")
        check(ui.path() == f"/ui/jobs/{job}/attempts/{expect['issue_attempt']}", f"transcript: a stable link ({ui.path()})")
        roles = [e.get_attribute("class").split("role-")[-1] for e in driver.find_elements(By.CSS_SELECTOR, "li.step")]
        check(roles == expect["roles"], f"transcript: the steps {roles}")
        calls = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "ul.calls code")]
        check(calls == expect["tool_calls"], f"transcript: the tool calls {calls}")
        lines = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "span.ln")]
        check(len(lines) > 0 and all(line.startswith("L") for line in lines), f"transcript: excerpt lines carry their numbers ({lines[:5]})")
        folded = driver.find_elements(By.CSS_SELECTOR, "details.fold:not([open])")
        check(folded != [], "transcript: long tool results start folded")
        buttons = [b for b in driver.find_elements(By.CSS_SELECTOR, ".tools button") if b.text == "Unfold all"]
        check(buttons != [], "transcript: the UI's script file ran (fold buttons) under the policy")
        if buttons:
            buttons[0].click()
            check(all(d.get_attribute("open") is not None for d in driver.find_elements(By.CSS_SELECTOR, "ol.transcript details")),
                  "transcript: Unfold all opens every fold")
        hostile = expect["hostile"]
        shown = [e for e in driver.find_elements(By.CSS_SELECTOR, "pre.content") if hostile in e.get_attribute("textContent")]
        check(shown != [], f"transcript: the log line {hostile!r} shows as text")
        marks = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "pre.content mark.redacted")]
        check(marks and all(m.startswith("[REDACTED") for m in marks), f"transcript: redaction markers are highlighted ({marks[:3]})")
        check(expect["secret"] not in driver.page_source, "transcript: the planted secret is nowhere on the page")
        scripts = driver.execute_script("return Array.from(document.scripts).map(s => s.src)")
        check(scripts == [ui.base + "/ui/static/ui.js"], f"transcript: the only script is the UI's own ({scripts})")
        check(driver.execute_script("return document.querySelectorAll('textarea').length") == 0, "transcript: no element came out of the log")
        ui.no_alert("transcript")
        ui.axe("transcript")
        ui.shoot("transcript")
        ui.dark(True)
        ui.axe("transcript, dark")
        ui.shoot("transcript-dark")
        ui.dark(False)

        # Failure groups.
        ui.open("/ui/groups")
        issue = driver.find_elements(By.CSS_SELECTOR, f'table.groups tbody a[href="{expect["issue_url"]}"]')
        check(issue != [], f"groups: the group links its issue {expect['issue_url']}")
        links = driver.find_elements(By.CSS_SELECTOR, "table.groups tbody a[href^='/ui/groups/']")
        check(links != [], "groups: a link to the group")
        ui.axe("groups")
        ui.shoot("groups")
        links[0].click()
        ui.wait_for(lambda: driver.current_url.rstrip("/").split("/")[-1].isdigit(), "the group")
        body = ui.text()
        check(f"Occurrences\n{expect['occurrences']}" in body or f"Occurrences {expect['occurrences']}" in body,
              f"group: {expect['occurrences']} occurrence(s)")
        check(len(driver.find_elements(By.CSS_SELECTOR, "table.timeline meter")) >= 1, "group: jobs over time")
        ui.axe("group")
        ui.shoot("group")

        # Queue health.
        ui.open("/ui/health")
        check("Queue depth" in ui.text() and "Last 5 minutes" in ui.text(), "health: depth and rates")
        ui.axe("health")
        ui.shoot("health")
        ui.dark(True)
        ui.shoot("health-dark")
        ui.dark(False)

        # Pages that do not exist.
        ui.open("/ui/jobs/999999")
        check("There is no job 999999." in ui.text(), "a missing job says so")

        violations = ui.csp_violations()
        check(not violations, f"no Content-Security-Policy violation ({violations[:3]})")
        ui.no_alert("end")
    finally:
        driver.quit()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--screenshots", required=True)
    parser.add_argument("--expect", required=True, help="JSON: what the pages must show")
    args = parser.parse_args()
    try:
        run(args)
    except Exception as error:  # noqa: BLE001 - report, then fail
        import traceback
        traceback.print_exc()
        failures.append(f"{type(error).__name__}: {error}")
    if failures:
        print(f"{len(failures)} check(s) failed:", *failures, sep="\n  ", flush=True)
        sys.exit(1)
    print("all browser checks passed", flush=True)


if __name__ == "__main__":
    main()
