#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpus (tests/fuzz/corpus/TARGET/) from the
repository's own examples and test data, plus generated inputs. Run it from
anywhere; it replaces every seed but the inputs kept from fuzzing runs (`found-*`
files). The corpus is committed, so this
only needs running when a format changes.

Each target reads its first byte(s) as choices (see its source): the seeds
for text_image and trace carry that byte in front of a real file.
"""
import gzip
import hashlib
import lzma
import pathlib
import random
import shutil
import struct
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "fuzz" / "corpus"


def put(target: str, name: str, data: bytes) -> None:
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data)


def files(*globs):
    for g in globs:
        yield from sorted(ROOT.glob(g))


def text_image() -> None:
    # First byte: bit 0 = RV32 words, bit 1 = request parser.
    for f in files("docs/examples/*image*.txt", "tests/cli/data/*image*.txt", "tests/bad_input/*image*.txt"):
        if f.stat().st_size > 4096:
            continue
        xlen32 = 1 if "32" in f.name else 0
        put("text_image", f"image-{f.stem}", bytes([xlen32]) + f.read_bytes())
    for f in files("docs/examples/*requests*.txt", "tests/cli/data/*requests*.txt", "tests/cli/data/bad_access.txt",
                   "tests/bad_input/one_request.txt", "tests/bad_input/mem_outside.txt"):
        put("text_image", f"requests-{f.stem}", bytes([2]) + f.read_bytes())


def lackey_sample() -> bytes:
    return (ROOT / "tests/data/silberschatz.lackey").read_bytes()


def champsim(records: int) -> bytes:
    out = bytearray()
    for i in range(records):
        ip = 0x400000 + 4 * i
        src = [0x7fff0000 + 64 * i, 0, 0, 0]
        dst = [0x600000 + 8 * i if i % 3 == 0 else 0, 0]
        out += struct.pack("<QBB2B4B2Q4Q", ip, 0, 0, 0, 0, 0, 0, 0, 0, *dst, *src)
    return bytes(out)


def trace() -> None:
    # First byte mod 5: 0 auto, 1 lackey, 2 champsim, 3 vmsim binary, 4 the whole-trace lackey parser.
    lackey = lackey_sample()
    put("trace", "auto-lackey", b"\x00" + lackey)
    put("trace", "lackey", b"\x01" + lackey)
    put("trace", "parse-lackey", b"\x04" + lackey)
    put("trace", "auto-lackey-gzip", b"\x00" + gzip.compress(lackey, mtime=0))
    put("trace", "auto-lackey-xz", b"\x00" + lzma.compress(lackey))
    if shutil.which("zstd"):
        z = subprocess.run(["zstd", "-q", "-c"], input=lackey, capture_output=True, check=True).stdout
        put("trace", "auto-lackey-zstd", b"\x00" + z)
    put("trace", "champsim", b"\x02" + champsim(8))
    for f in files("tests/cli/data/*.vtr"):
        put("trace", f"vmsim-{f.stem}", b"\x03" + f.read_bytes())
    for f in files("tests/cli/data/*.lackey", "tests/bad_input/*.lackey"):
        put("trace", f"lackey-{f.stem}", b"\x01" + f.read_bytes())


def malloc_trace() -> None:
    for f in files("tests/cli/data/*.rep", "tests/bad_input/*.rep", "tests/data/malloc/large.rep"):
        put("malloc_trace", f.stem, f.read_bytes())


def mmu_config() -> None:
    for f in files("configs/*.json", "tests/cli/data/bad_config.json"):
        put("mmu_config", f.stem, f.read_bytes())


def sweep_plan() -> None:
    # The target's scratch directory holds t.lackey and c.json for these to name.
    seeds = {
        "minimal": '{"traces": ["t.lackey"], "configs": ["c.json"]}',
        "generate": '{"traces": ["t.lackey"], "generate": {"l1_tlb": {"sets": [1], "ways": [4, 8], '
                    '"policy": ["plru", "lru"]}, "l2_tlb": {"sets": [64], "ways": [8], "superpage_entries": [16], '
                    '"latency": [4, 9]}}}',
        "options": '{"traces": ["t.lackey", "t.lackey"], "configs": ["c.json"], '
                   '"options": {"--mem-latency": [20, 100], "--warmup": ["0", "10"]}, "args": ["--harness", "plain"]}',
    }
    for name, text in seeds.items():
        put("sweep_plan", name, text.encode() + b"\n")
    for f in files("docs/examples/l1-study.json", "tests/cli/data/bad_sweep.json"):
        put("sweep_plan", f.stem, f.read_bytes())


def random_programs(target: str, count: int, seed: int) -> None:
    # The API and runtime targets read any bytes as a program: random ones of
    # a few lengths cover every operation from the first run.
    rng = random.Random(seed)
    for i in range(count):
        n = rng.choice([16, 64, 256, 1024, 4096])
        data = bytes(rng.getrandbits(8) for _ in range(n))
        put(target, f"random-{i:02d}-{hashlib.sha1(data).hexdigest()[:8]}", data)


def main() -> None:
    for t in ("text_image", "trace", "malloc_trace", "mmu_config", "sweep_plan", "malloc_api", "runtime"):
        d = CORPUS / t
        if d.exists():
            for f in d.iterdir():
                if not f.name.startswith("found-"):
                    f.unlink()
    text_image()
    trace()
    malloc_trace()
    mmu_config()
    sweep_plan()
    random_programs("malloc_api", 12, 1)
    random_programs("runtime", 12, 2)


if __name__ == "__main__":
    main()
