"""What BLAS a PyTorch peer really runs on (imported by torch_train.py and torch_pgd.py; never used by tests or CI).

Debian's PyTorch takes its BLAS from the system's libblas.so.3 alternative: the reference BLAS (about 5 GFLOP/s) unless
libopenblas0-pthread provides it. describe() says which library the process mapped, which core OpenBLAS picked
(openblas_get_corename: its own choice, or the one OPENBLAS_CORETYPE forced) and the BLAS lines of
torch.__config__.show(), so every benchmark report states the yardstick it measured against.
"""
import ctypes
import os

import torch

FORCING_VARIABLES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def _mapped_blas():
    """The BLAS shared objects this process has mapped (from /proc/self/maps), resolved to real paths."""
    found = []
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                path = line.split()[-1] if len(line.split()) >= 6 else ""
                name = os.path.basename(path)
                if ("blas" in name or "mkl" in name) and path not in found:
                    found.append(path)
    except OSError:
        pass
    return found


def _openblas_core(paths):
    """openblas_get_corename() of the OpenBLAS this process loaded, or None."""
    for path in paths:
        try:
            library = ctypes.CDLL(path)  # the mapped copy: dlopen returns the instance already loaded
            library.openblas_get_corename.restype = ctypes.c_char_p
            library.openblas_get_config.restype = ctypes.c_char_p
            return library.openblas_get_corename().decode(), library.openblas_get_config().decode()
        except (OSError, AttributeError):
            continue
    return None


def describe():
    """A dict for the peer's JSON: torch version, BLAS libraries mapped, OpenBLAS core and config, torch's BLAS info."""
    torch.zeros(2, 2) @ torch.zeros(2, 2)  # make sure the BLAS is loaded and initialised
    paths = _mapped_blas()
    core = _openblas_core(paths)
    config = torch.__config__.show()
    # The build's BLAS (BLAS_INFO: "generic" means the system's libblas.so.3), oneDNN, and the vector width in use.
    settings = [item.strip() for line in config.splitlines() if "Build settings" in line
                for item in line.split(":", 1)[-1].split(",")
                if item.strip().startswith(("BLAS_INFO", "LAPACK_INFO", "USE_MKLDNN", "USE_OPENMP"))]
    config_lines = [line.strip(" -") for line in config.splitlines() if "CPU capability" in line] + settings
    return {
        "torch": torch.__version__,
        "blas_libraries": paths,
        "openblas_core": core[0] if core else None,
        "openblas_config": core[1] if core else None,
        "torch_blas": "; ".join(config_lines),
        "forcing_variables": {name: os.environ[name] for name in FORCING_VARIABLES if name in os.environ},
    }
