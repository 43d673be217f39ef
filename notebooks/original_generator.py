"""The original GridSentry dataset generator, written from
../shared/reference/GENERATOR.md. It is the ground truth that datagen's
byte-for-byte parity test runs against.

    python3 notebooks/original_generator.py --seed 42 --rows 3000 --out power_data_labeled.csv
"""
import argparse
import csv
import random
import sys

# Values at 10 V, scaled by line_voltage / 10 (GENERATOR.md).
NORMAL_RANGES = {"c1": (1.00, 1.04), "c2": (0.96, 1.04), "c3": (0.96, 1.08)}
THEFT_MAX = {"c1": 1.32, "c2": 1.36, "c3": 1.32}
JF_RANGES = {"normal": (1.10, 1.14), "blatant": (1.04, 1.08), "stealth": (1.07, 1.10)}
CHANNELS = ["c1", "c2", "c3"]


def scale(value, line_voltage):
    return round(value * line_voltage / 10, 3)


def generate_sample(weights=(0.6, 0.2, 0.2)):
    line_voltage = round(random.uniform(8.0, 12.0), 2)
    mode = random.choices(["normal", "blatant", "stealth"], weights=weights)[0]
    values = {}
    if mode == "normal":
        label = "normal"
        for ch in CHANNELS:
            lo, hi = NORMAL_RANGES[ch]
            values[ch] = round(random.uniform(scale(lo, line_voltage), scale(hi, line_voltage)), 3)
    else:
        victim = random.choice(CHANNELS)
        label = victim
        for ch in CHANNELS:
            lo, hi = NORMAL_RANGES[ch]
            lo_s, hi_s = scale(lo, line_voltage), scale(hi, line_voltage)
            if ch == victim:
                theft_max = scale(THEFT_MAX[ch], line_voltage)
                if mode == "blatant":
                    values[ch] = round(random.uniform(hi_s + 0.01, theft_max), 3)
                else:
                    values[ch] = round(random.uniform(hi_s + 0.005, theft_max * 0.95), 3)
            else:
                values[ch] = round(random.uniform(lo_s, hi_s), 3)
    jf_lo, jf_hi = JF_RANGES[mode]
    jf = round(random.uniform(jf_lo, jf_hi), 3)
    feeder = round((values["c1"] + values["c2"] + values["c3"]) / jf, 3)
    return [line_voltage, label, values["c1"], values["c2"], values["c3"], feeder]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--out", default="-")
    # Not in the original (it hard-codes 0.6, 0.2, 0.2): lets the parity test
    # cover datagen's --weights option.
    parser.add_argument("--weights", default="0.6,0.2,0.2")
    args = parser.parse_args()
    weights = [float(w) for w in args.weights.split(",")]
    random.seed(args.seed)
    out = sys.stdout if args.out == "-" else open(args.out, "w", newline="")
    writer = csv.writer(out)
    writer.writerow(["line_voltage", "label", "c1", "c2", "c3", "feeder"])
    for _ in range(args.rows):
        writer.writerow(generate_sample(weights))
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main()
