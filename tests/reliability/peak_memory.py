"""The landing subprocesses' own peak memory (test_big_file, test_bounded_input): source code that
their scripts start with, defining peak_mb()."""

PEAK_MB = '''
def peak_mb():
    # this process's own high-water mark (VmHWM): ru_maxrss keeps the RSS of the pytest process it
    # was forked from (subprocess forks, then execs), which failed the tests when pytest had grown
    with open("/proc/self/status", encoding="ascii") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:")) / 1024
'''
