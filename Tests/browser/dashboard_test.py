#!/usr/bin/env python3
"""The dashboard at /_ui/ in headless Chromium, against a running demo iotoyd (simulated hardware).

Usage: dashboard_test.py BASE_URL [--screenshot PATH] [--timeout SECONDS]
       (Tests/browser/run.sh starts the daemon and calls this.)

Prints one line per check ("ok N - ..."), and on the first failure "not ok N - ..." with what it
saw, the browser's console, a screenshot, and exits 1. Needs chromium, chromium-driver (Debian)
and the selenium module (pip). Every wait is an explicit WebDriverWait with a timeout.
"""

import argparse
import json
import os
import shutil
import sys
import urllib.error
import urllib.request

# Selenium Manager must not go looking for drivers on the network: the driver is given below.
os.environ.setdefault("SE_OFFLINE", "true")

try:
    from selenium import webdriver
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, TimeoutException, WebDriverException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:
    print("dashboard_test.py: the Python module 'selenium' is missing (pip install selenium)", file=sys.stderr)
    sys.exit(2)

LIFT = "/front_left_leg/lift"  # servo on the PCA9685 at i2c-1 0x40, channel 0; limits 20..160 deg
LIFT_PULSE = (500.0, 2500.0)  # microseconds at 0 and 180 degrees (boards/demo.yaml)
BUMPER = "/bumper"  # gpio_in on pinctrl-bcm2711 GPIO27, pull-up, active low
BUMPER_LINE = "pinctrl-bcm2711/GPIO27"

passed = 0


class Failure(Exception):
    pass


def ok(message):
    global passed
    passed += 1
    print(f"ok {passed} - {message}", flush=True)


def fail(message):
    raise Failure(message)


def get_json(base, path):
    try:
        with urllib.request.urlopen(base + path, timeout=10) as answer:
            return json.load(answer)
    except (urllib.error.URLError, OSError, ValueError) as error:
        fail(f"GET {path} on the daemon: {error}")


def row_css(href):
    return f'.attr[data-href="{href}"]'


def text_of(driver, css):
    return driver.find_element(By.CSS_SELECTOR, css).text.strip()


def wait_for(driver, what, probe, timeout):
    """Polls probe(driver) -> (done, seen) until done; fails with `what` and the last `seen`."""
    last = ["nothing yet"]

    def check(d):
        try:
            done, seen = probe(d)
        except (NoSuchElementException, StaleElementReferenceException) as error:
            last[0] = f"{type(error).__name__}: {error.msg.splitlines()[0] if error.msg else ''}"
            return False
        last[0] = seen
        return done

    try:
        WebDriverWait(driver, timeout, poll_frequency=0.1).until(check)
    except TimeoutException:
        fail(f"{what}: not within {timeout:g} s; last seen: {last[0]}")
    return last[0]


def start_browser():
    binary = next((p for p in ("/usr/lib/chromium/chromium", shutil.which("chromium") or "") if p and os.access(p, os.X_OK)), None)
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    if not binary:
        print("dashboard_test.py: no Chromium (apt-get install chromium)", file=sys.stderr)
        sys.exit(2)
    if not os.access(driver_path, os.X_OK):
        print("dashboard_test.py: no chromedriver (apt-get install chromium-driver)", file=sys.stderr)
        sys.exit(2)
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=480,1600", "--no-first-run", "--disable-extensions"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=driver_path), options=options)


def browser_console(driver):
    try:
        return [f"{entry.get('level')}: {entry.get('message')}" for entry in driver.get_log("browser")]
    except WebDriverException:
        return []


def screenshot(driver, path):
    height = driver.execute_script("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")
    driver.set_window_size(480, min(max(int(height) + 120, 800), 8000))
    driver.execute_script("window.scrollTo(0, 0)")
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    if not driver.save_screenshot(path):
        fail(f"could not write the screenshot {path}")


def run(driver, base, timeout, shot):
    info = get_json(base, "/devinfo")["value"]
    attrs = {a["href"]: a for a in info["attrs"].values()}
    functions = [f["href"] for f in info["funcs"].values()]
    for needed in (LIFT, BUMPER):
        if needed not in attrs:
            fail(f"the daemon is not the demo robot: /devinfo has no {needed} (it has {sorted(attrs)})")

    # 1. the page, built from /devinfo
    driver.get(base + "/_ui/")
    wait_for(driver, f"#devicename reads '{info['devicename']}'",
             lambda d: ((seen := text_of(d, "#devicename")) == info["devicename"], seen), timeout)
    ok(f"/_ui/ loads and names the device '{info['devicename']}'")

    def all_rows(d):
        missing = []
        for href in attrs:
            found = d.find_elements(By.CSS_SELECTOR, f"{row_css(href)} .value")
            if not found or not found[0].text.strip():
                missing.append(href)
        missing += [href for href in functions if not d.find_elements(By.CSS_SELECTOR, f'.func[data-href="{href}"]')]
        return not missing, f"rows without a value: {missing}"

    wait_for(driver, "every attribute of /devinfo has a row with a value", all_rows, timeout)
    values = {href: text_of(driver, f"{row_css(href)} .value") for href in attrs}
    ok(f"{len(attrs)} attribute rows with values and {len(functions)} function(s): {values}")

    # 2. live updates connected: the banner goes away once the EventSource is open
    wait_for(driver, "the live-update banner (#banner) disappears once the event stream is open",
             lambda d: (not (b := d.find_element(By.CSS_SELECTOR, "#banner")).is_displayed(), f"#banner shows '{b.text}'"),
             timeout)
    driver.execute_script("window.__sameDocument = 'yes'")  # gone if the page reloads
    ok("the event stream is open (#banner hidden)")

    # 3. the lift servo's slider, moved with the pointer to about 120 degrees
    before = get_json(base, LIFT)["value"]
    slider = driver.find_element(By.CSS_SELECTOR, f"{row_css(LIFT)} input[type=range]")
    low, high = float(slider.get_attribute("min")), float(slider.get_attribute("max"))
    if (low, high) != (20.0, 160.0):
        fail(f"the lift slider's range is {low}..{high}, not the board's limits 20..160")
    width = slider.size["width"]
    thumb = 16  # Chromium's default range thumb; a few pixels off is a degree or so
    target = 120.0 if abs(before - 120.0) > 15 else 60.0
    x = thumb / 2 + (target - low) / (high - low) * (width - thumb)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", slider)
    ActionChains(driver).move_to_element_with_offset(slider, int(round(x - width / 2)), 0).click().perform()

    def slider_applied(d):
        slid = float(d.find_element(By.CSS_SELECTOR, f"{row_css(LIFT)} input[type=range]").get_attribute("value"))
        shown = text_of(d, f"{row_css(LIFT)} .value")
        try:
            agrees = abs(float(shown) - slid) < 1e-6
        except ValueError:
            agrees = False
        return agrees and abs(slid - target) <= 10 and slid != before, f"slider {slid}, row value '{shown}', device before {before}"

    wait_for(driver, f"the slider moved to about {target:g} and the row shows the device's read-back", slider_applied, timeout)
    angle = float(text_of(driver, f"{row_css(LIFT)} .value"))
    number = driver.find_element(By.CSS_SELECTOR, f"{row_css(LIFT)} input[type=number]").get_attribute("value")
    if abs(float(number or "nan") - angle) > 1e-6:
        fail(f"the number field shows '{number}' while the slider set {angle}")
    device = get_json(base, LIFT)["value"]
    if abs(device - angle) > 1e-6:
        fail(f"the page shows {angle} but GET {LIFT} answers {device}")
    expected_us = LIFT_PULSE[0] + angle / 180.0 * (LIFT_PULSE[1] - LIFT_PULSE[0])
    seen = {}

    def pulse_matches(_):
        pca = get_json(base, "/_sim")["i2c"]["i2c-1"]["0x40"]
        seen["us"] = pca["pulse_ns"][0] / 1000.0
        # the PCA9685 has 4096 steps of a 20 ms period: ~4.9 us each
        return abs(seen["us"] - expected_us) <= 10.0, f"PCA9685 channel 0 pulse {seen['us']:.1f} us (sleeping={pca.get('sleeping')})"

    wait_for(driver, f"the simulated PCA9685 channel 0 pulse becomes {expected_us:.1f} us for {angle:g} deg", pulse_matches, timeout)
    ok(f"slider: {LIFT} {before:g} -> {angle:g} deg; PCA9685 channel 0 pulse {seen['us']:.1f} us (expected {expected_us:.1f})")

    # 4. out of the limits: 170 typed into the number field and submitted shows the 422 in the row
    # Typed as a person does: focus, select what is there, type over it (WebDriver's clear()
    # blurs the field, after which a live update may fill it in again before the keys arrive).
    field = driver.find_element(By.CSS_SELECTOR, f"{row_css(LIFT)} input[type=number]")
    field.click()
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys("170")
    if field.get_attribute("value") != "170":
        fail(f"typing 170 into the number field left '{field.get_attribute('value')}'")
    field.send_keys(Keys.ENTER)

    def refused(d):
        error = text_of(d, f"{row_css(LIFT)} .error")
        return "outside the limits" in error and "160" in error, f".error reads '{error}'"

    wait_for(driver, "the row's .error shows the 422 'outside the limits' with the limits", refused, timeout)
    message = text_of(driver, f"{row_css(LIFT)} .error")
    wait_for(driver, f"the number field snaps back to the device's {angle:g}",
             lambda d: (abs(float((v := d.find_element(By.CSS_SELECTOR, f"{row_css(LIFT)} input[type=number]").get_attribute("value")) or "nan") - angle) < 1e-6,
                        f"number field '{v}'"), timeout)
    if get_json(base, LIFT)["value"] != angle:
        fail(f"after the refused 170, GET {LIFT} no longer answers {angle}")
    ok(f"170 is refused in the row: '{message}'; the field snapped back to {angle:g}")

    # 5. the simulated bumper, pressed from the sim panel: /bumper turns true live
    wait_for(driver, "/bumper reads false before the press",
             lambda d: ((v := text_of(d, f"{row_css(BUMPER)} .value")) == "false", f"/bumper reads '{v}'"), timeout)
    wait_for(driver, f"the Simulated hardware panel offers level 0 for {BUMPER_LINE}",
                     lambda d: (bool(d.find_elements(By.CSS_SELECTOR, f'button[data-sim-line="{BUMPER_LINE}"][data-level="0"]'))
                                and d.find_element(By.CSS_SELECTOR, "#sim").is_displayed(),
                                f"#sim displayed: {d.find_element(By.CSS_SELECTOR, '#sim').is_displayed()}"), timeout)
    driver.find_element(By.CSS_SELECTOR, f'button[data-sim-line="{BUMPER_LINE}"][data-level="0"]').click()
    wait_for(driver, "/bumper turns true on the page without a reload",
             lambda d: ((v := text_of(d, f"{row_css(BUMPER)} .value")) == "true", f"/bumper reads '{v}'"), timeout)
    if driver.execute_script("return window.__sameDocument") != "yes":
        fail("the page was reloaded")
    ok("pressing the simulated bumper (GPIO27 level 0) shows /bumper true live, same page")
    driver.find_element(By.CSS_SELECTOR, f'button[data-sim-line="{BUMPER_LINE}"][data-level="1"]').click()
    wait_for(driver, "/bumper turns false again after release (level 1)",
             lambda d: ((v := text_of(d, f"{row_css(BUMPER)} .value")) == "false", f"/bumper reads '{v}'"), timeout)
    ok("releasing it (level 1) shows /bumper false again")

    # 6. the emergency stop: #estop puts the actuators in their safe state and commands to them
    # are refused (409 emergency_stop) in the row until #resume; then the lift moves again.
    driver.find_element(By.CSS_SELECTOR, "#estop").click()
    wait_for(driver, "the emergency-stop banner (#stopped) appears after clicking #estop",
             lambda d: ((b := d.find_element(By.CSS_SELECTOR, "#stopped")).is_displayed() and "safe state" in b.text,
                        f"#stopped displayed: {b.is_displayed()}, reads '{b.text}'"), timeout)
    wait_for(driver, f"the {LIFT} row notes 'failsafe: emergency stop' (the stream's failsafe event)",
             lambda d: ("failsafe: emergency stop" in (t := text_of(d, f"{row_css(LIFT)} .failsafe")), f".failsafe reads '{t}'"),
             timeout)
    ok(f"#estop shows the banner '{text_of(driver, '#stopped span')}' and the lift row '{text_of(driver, f'{row_css(LIFT)} .failsafe')}'")

    stop_target = 100.0 if abs(angle - 100.0) > 5 else 80.0

    def set_lift(value):
        # the row may lie under the sticky bar at the top: bring it to the middle first
        field = driver.find_element(By.CSS_SELECTOR, f"{row_css(LIFT)} input[type=number]")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", field)
        field.click()
        field.send_keys(Keys.CONTROL, "a")
        field.send_keys(f"{value:g}")
        if field.get_attribute("value") != f"{value:g}":
            fail(f"typing {value:g} into the number field left '{field.get_attribute('value')}'")
        field.send_keys(Keys.ENTER)

    set_lift(stop_target)

    def stop_refused(d):
        error = text_of(d, f"{row_css(LIFT)} .error")
        return "emergency stop" in error, f".error reads '{error}'"

    wait_for(driver, f"setting {stop_target:g} while stopped shows the 409 'emergency stop' in the row", stop_refused, timeout)
    message = text_of(driver, f"{row_css(LIFT)} .error")
    request = urllib.request.Request(base + LIFT, data=json.dumps({"value": stop_target}).encode(), method="PUT",
                                     headers={"Content-Type": "application/json", "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            fail(f"PUT {LIFT} during the emergency stop answered {answer.status}, not 409")
    except urllib.error.HTTPError as error:
        code = (json.loads(error.read() or b"{}").get("value") or {}).get("error")
        if error.code != 409 or code != "emergency_stop":
            fail(f"PUT {LIFT} during the emergency stop answered {error.code} ({code}), not 409 emergency_stop")
    except (urllib.error.URLError, OSError, ValueError) as error:
        fail(f"PUT {LIFT} on the daemon: {error}")
    if get_json(base, LIFT)["value"] != angle:
        fail(f"during the emergency stop GET {LIFT} no longer answers {angle}")
    ok(f"{stop_target:g} is refused while stopped (409 emergency_stop): '{message}'")

    driver.find_element(By.CSS_SELECTOR, "#resume").click()
    wait_for(driver, "the banner (#stopped) goes away after clicking #resume",
             lambda d: (not (b := d.find_element(By.CSS_SELECTOR, "#stopped")).is_displayed(), f"#stopped reads '{b.text}'"),
             timeout)
    set_lift(stop_target)

    def resumed(d):
        error = text_of(d, f"{row_css(LIFT)} .error")
        shown = text_of(d, f"{row_css(LIFT)} .value")
        note = text_of(d, f"{row_css(LIFT)} .failsafe")
        try:
            moved = abs(float(shown) - stop_target) < 1e-6
        except ValueError:
            moved = False
        return moved and not error and not note, f"row value '{shown}', .error '{error}', .failsafe '{note}'"

    wait_for(driver, f"after #resume, {stop_target:g} is set with no error and the failsafe note gone", resumed, timeout)
    device = get_json(base, LIFT)["value"]
    if abs(device - stop_target) > 1e-6:
        fail(f"after #resume the page shows {stop_target:g} but GET {LIFT} answers {device}")
    ok(f"#resume hides the banner; {LIFT} set to {stop_target:g} with no error")

    # 7. a picture for people
    screenshot(driver, shot)
    ok(f"screenshot written to {shot}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="the daemon's base URL, e.g. http://127.0.0.1:5000")
    parser.add_argument("--screenshot", default=".build/dashboard.png")
    parser.add_argument("--timeout", type=float, default=15.0, help="seconds each wait may take")
    options = parser.parse_args()
    base = options.base.rstrip("/")
    try:
        driver = start_browser()
    except WebDriverException as error:
        print(f"dashboard_test.py: headless Chromium did not start: {error.msg}", file=sys.stderr)
        sys.exit(2)
    try:
        run(driver, base, options.timeout, options.screenshot)
    except Failure as failure:
        print(f"not ok {passed + 1} - {failure}", flush=True)
        for line in browser_console(driver)[-30:]:
            print(f"# browser: {line}")
        try:
            failed_shot = options.screenshot.removesuffix(".png") + "-failure.png"
            screenshot(driver, failed_shot)
            print(f"# screenshot of the failure: {failed_shot}")
        except (Failure, WebDriverException):
            pass
        print(f"{passed} passed, 1 failed")
        sys.exit(1)
    finally:
        driver.quit()
    print(f"{passed} passed, 0 failed")


if __name__ == "__main__":
    main()
