// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * pwm-sim: a simulated PWM chip for the iotoyd kernel test harness.
 *
 * Registers a platform device "pwm-sim" with one pwm_chip of `npwm` channels.
 * Every state applied through the PWM core (sysfs: export, period, duty_cycle,
 * polarity, enable) is accepted and kept, so it reads back from
 * /sys/class/pwm/pwmchipN/pwmM/. Each applied state is also logged with
 * dev_dbg (visible with dyndbg="module pwm_sim +p").
 */
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/pwm.h>
#include <linux/slab.h>

static unsigned int npwm = 2;
module_param(npwm, uint, 0444);
MODULE_PARM_DESC(npwm, "number of PWM channels (default 2)");

struct pwm_sim {
	struct pwm_chip chip;
	struct pwm_state *state; /* last applied state per channel */
};

static int pwm_sim_apply(struct pwm_chip *chip, struct pwm_device *pwm,
			 const struct pwm_state *state)
{
	struct pwm_sim *sim = container_of(chip, struct pwm_sim, chip);

	sim->state[pwm->hwpwm] = *state;
	dev_dbg(chip->dev, "pwm%u: period=%llu duty=%llu polarity=%d enabled=%d\n",
		pwm->hwpwm, state->period, state->duty_cycle,
		state->polarity, state->enabled);
	return 0;
}

static const struct pwm_ops pwm_sim_ops = {
	.apply = pwm_sim_apply,
	.owner = THIS_MODULE,
};

static struct platform_device *pwm_sim_pdev;
static struct pwm_sim *pwm_sim;

static int __init pwm_sim_init(void)
{
	int ret;

	if (npwm == 0 || npwm > 64)
		return -EINVAL;
	pwm_sim_pdev = platform_device_register_simple("pwm-sim", -1, NULL, 0);
	if (IS_ERR(pwm_sim_pdev))
		return PTR_ERR(pwm_sim_pdev);
	ret = -ENOMEM;
	pwm_sim = kzalloc(sizeof(*pwm_sim), GFP_KERNEL);
	if (!pwm_sim)
		goto err_pdev;
	pwm_sim->state = kcalloc(npwm, sizeof(*pwm_sim->state), GFP_KERNEL);
	if (!pwm_sim->state)
		goto err_sim;
	pwm_sim->chip.dev = &pwm_sim_pdev->dev;
	pwm_sim->chip.ops = &pwm_sim_ops;
	pwm_sim->chip.npwm = npwm;
	ret = pwmchip_add(&pwm_sim->chip);
	if (ret)
		goto err_state;
	return 0;

err_state:
	kfree(pwm_sim->state);
err_sim:
	kfree(pwm_sim);
err_pdev:
	platform_device_unregister(pwm_sim_pdev);
	return ret;
}

static void __exit pwm_sim_exit(void)
{
	pwmchip_remove(&pwm_sim->chip);
	kfree(pwm_sim->state);
	kfree(pwm_sim);
	platform_device_unregister(pwm_sim_pdev);
}

module_init(pwm_sim_init);
module_exit(pwm_sim_exit);
MODULE_DESCRIPTION("Simulated PWM chip for tests (keeps the applied state)");
MODULE_LICENSE("Dual MIT/GPL");
