#!/usr/bin/env python3
"""The dashboard against a daemon that asks for tokens: the page loads, asks for a token
(its data answers 401), logs in with one (POST /_login, a session cookie), then shows the
device's rows and who is logged in.

Usage: login_test.py BASE_URL TOKEN
"""
import sys
import dashboard_test as common
from selenium.webdriver.common.by import By


def run(driver, base, token, timeout):
    driver.get(base + "/_ui/")
    common.wait_for(driver, "the login panel (the data answers 401)",
                    lambda d: (d.find_element(By.ID, "login").is_displayed(), "login panel hidden"), timeout)
    common.ok("without a token the page shows the login panel")
    field = driver.find_element(By.ID, "token")
    field.send_keys("not-the-token")
    driver.find_element(By.ID, "login-button").click()
    common.wait_for(driver, "a refused login says so",
                    lambda d: (bool(d.find_element(By.ID, "login-error").text), d.find_element(By.ID, "login-error").text), timeout)
    common.ok(f"a wrong token is refused: '{driver.find_element(By.ID, 'login-error').text}'")
    field.clear()
    field.send_keys(token)
    driver.find_element(By.ID, "login-button").click()
    common.wait_for(driver, "the /eyes row with a value after logging in",
                    lambda d: (bool(common.text_of(d, common.row_css("/eyes") + " .value")), "no value yet"), timeout)
    common.ok("with the token the rows appear (the session cookie carries the requests and the stream)")
    common.wait_for(driver, "who is logged in",
                    lambda d: ("logged in as ci (control)" in d.find_element(By.TAG_NAME, "body").text, d.find_element(By.TAG_NAME, "body").text[:200]),
                    timeout)
    common.ok("the page says who is logged in")


def main():
    base, token = sys.argv[1].rstrip("/"), sys.argv[2]
    driver = common.start_browser()
    try:
        run(driver, base, token, 15.0)
    except common.Failure as failure:
        print(f"not ok {common.passed + 1} - {failure}", flush=True)
        for line in common.browser_console(driver)[-30:]:
            print(f"# browser: {line}")
        print(f"{common.passed} passed, 1 failed")
        sys.exit(1)
    finally:
        driver.quit()
    print(f"{common.passed} passed, 0 failed")


if __name__ == "__main__":
    main()
