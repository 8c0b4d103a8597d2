"""Java, pyspark and the Spark session for ``dedup.spark``."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError, InputError

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

MIN_JAVA = 17
INSTALL_HINT = "pip install 'dedup-news[spark]'"

# Spark's own logging, for a session made here: warnings and errors, one line each, on stderr;
# the start-up notices of the default profile and Hadoop's native-library warning left out.
_LOG4J2 = """\
rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex
logger.hadoop.name = org.apache.hadoop
logger.hadoop.level = error
logger.netty.name = io.netty
logger.netty.level = error
logger.parquet.name = org.apache.parquet
logger.parquet.level = error
"""


# -- Java, pyspark and the session -------------------------------------------------------------


def java_command(env: Mapping[str, str] | None = None) -> str | None:
    """The ``java`` that Spark starts: ``$JAVA_HOME/bin/java`` if JAVA_HOME is set, else PATH's.

    Returns None when there is none.
    """
    env = os.environ if env is None else env
    home = env.get("JAVA_HOME")
    if home:
        java = Path(home) / "bin" / "java"
        return str(java) if java.is_file() else None
    return shutil.which("java", path=env.get("PATH", os.defpath))


def java_major(version_text: str) -> int | None:
    """The major version in the output of ``java -version``, or None.

    >>> java_major('openjdk version "17.0.15" 2025-04-15')
    17
    >>> java_major('java version "1.8.0_371"')
    8
    """
    found = re.search(r'version "(\d+)(?:\.(\d+))?', version_text)
    if found is None:
        return None
    major = int(found.group(1))
    if major == 1 and found.group(2) is not None:  # "1.8.0" is Java 8
        major = int(found.group(2))
    return major


def check_java(env: Mapping[str, str] | None = None) -> None:
    """Raise ``ConfigError`` unless the ``java`` that Spark would start is Java 17 or later."""
    env = os.environ if env is None else env
    java = java_command(env)
    where = "JAVA_HOME" if env.get("JAVA_HOME") else "PATH"
    if java is None:
        raise ConfigError(
            f"the Spark engine needs Java {MIN_JAVA} or later, and there is no java on {where}; "
            f"install a JDK or JRE {MIN_JAVA}+ (e.g. apt-get install openjdk-17-jre-headless) "
            "or set JAVA_HOME to one"
        )
    try:
        done = subprocess.run(
            [java, "-version"], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        raise ConfigError(f"cannot run {java} -version ({e}); Spark needs Java {MIN_JAVA}+") from e
    major = java_major(done.stderr + done.stdout)
    if major is None:
        raise ConfigError(f"cannot tell which Java {java} is; Spark needs Java {MIN_JAVA}+")
    if major < MIN_JAVA:
        raise ConfigError(
            f"{java} (from {where}) is Java {major}; Spark 4 needs Java {MIN_JAVA} or later: "
            "install a newer JDK or JRE, or set JAVA_HOME to one"
        )


def _pyspark_sql() -> Any:
    """The ``pyspark.sql`` module, or a ``ConfigError`` that says how to install it."""
    try:
        import pyspark
        import pyspark.sql
    except ImportError as e:
        raise ConfigError(
            f"the Spark engine needs pyspark, which is not installed: {INSTALL_HINT}"
        ) from e
    major = pyspark.__version__.split(".")[0]
    if major != "4":
        raise ConfigError(f"dedup needs pyspark 4, found {pyspark.__version__}: {INSTALL_HINT}")
    return pyspark.sql


def _log_config() -> str:
    """A file URI of the log4j2 configuration above, written to the temp folder once."""
    digest = hashlib.sha256(_LOG4J2.encode()).hexdigest()[:12]
    path = Path(tempfile.gettempdir()) / f"dedup-spark-log4j2-{digest}.properties"
    if not path.is_file():
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        partial.write_text(_LOG4J2, encoding="utf-8")
        partial.replace(path)
    return path.as_uri()


def _local_heap() -> str:
    """A quarter of this machine's memory (1 to 16 GiB), for the driver of a local master."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # not on every platform
        return "2g"
    return f"{min(16, max(1, total // 4 // 2**30))}g"


def _is_local(master: str | None) -> bool:
    return master is None or master == "local" or master.startswith("local[")


@contextmanager
def spark_session(
    master: str | None = None,
    *,
    partitions: int | None = None,
    conf: Mapping[str, str] | None = None,
    app_name: str = "dedup",
) -> Iterator[SparkSession]:
    """Yield the active SparkSession, or one made for ``master`` and stopped on exit.

    A session made here runs its Python workers on this interpreter (``PYSPARK_PYTHON``, unless
    set), binds a local master to the loopback interface (``SPARK_LOCAL_IP``, unless set), logs
    only Spark's warnings and errors, shows no progress bars and, for a local master, no web UI.

    Args:
        master: ``local[N]``, ``spark://HOST:PORT``, ``yarn``...; None: ``local[*]``, or the
            master that ``spark-submit`` was given.
        partitions: ``spark.sql.shuffle.partitions`` for a session made here.
        conf: more Spark settings for a session made here (an event log, memory...).
        app_name: the application's name in the cluster manager.

    Raises:
        ConfigError: pyspark is not installed, Java is missing or older than 17, or Spark
            did not start.
    """
    sql = _pyspark_sql()
    active = sql.SparkSession.getActiveSession()
    if active is not None:
        yield active
        return
    check_java()
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    if _is_local(master):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    settings = {
        "spark.ui.showConsoleProgress": "false",
        "spark.driver.extraJavaOptions": f"-Dlog4j2.configurationFile={_log_config()}",
        "spark.log.structuredLogging.enabled": "false",
    }
    if _is_local(master):
        settings["spark.ui.enabled"] = "false"
        # In local mode all of Spark's own work runs in the driver's heap; Spark's 1g default
        # does not hold the shuffles of a few ten thousand articles.
        given = os.environ.get("PYSPARK_SUBMIT_ARGS", "")
        if "driver-memory" not in given and "spark.driver.memory" not in given:
            settings["spark.driver.memory"] = _local_heap()
    if partitions is not None:
        settings["spark.sql.shuffle.partitions"] = str(partitions)
    settings.update(conf or {})
    builder = sql.SparkSession.builder.appName(app_name)
    if master is not None:
        builder = builder.master(master)
    for key, value in settings.items():
        builder = builder.config(key, value)
    try:
        spark = builder.getOrCreate()
    except Exception as e:  # py4j and Spark raise many kinds
        where = master or "local[*]"
        raise ConfigError(f"cannot start Spark (master {where}): {_first_line(e)}") from e
    try:
        yield spark
    finally:
        with contextlib.suppress(Exception):  # after a crash of the JVM, there is none to stop
            spark.stop()


def _first_line(e: BaseException) -> str:
    try:
        text = str(e).strip()
    except Exception:  # py4j's exceptions cannot always say what they are
        text = ""
    return text.splitlines()[0] if text else type(e).__name__


def read_articles_frame(spark: SparkSession, path: str | Path) -> DataFrame:
    """Read articles for ``find_passages``: JSONL (``.jsonl``/``.json``) or Parquet files.

    ``path`` may be a file, a folder or a glob; a folder is read as Parquet unless its name
    ends in ``.jsonl`` or ``.json``. Records hold ``id`` and ``text``, optionally ``source``,
    ``date`` and ``url``; a malformed JSON line fails the read.
    """
    name = str(path)
    if name.rstrip("/").endswith((".jsonl", ".json")):
        schema = "id string, text string, source string, date string, url string"
        return spark.read.schema(schema).option("mode", "FAILFAST").json(name)
    return spark.read.parquet(name)


def check_ids(articles: DataFrame) -> None:
    """Raise ``InputError`` if an article has no id or text, or two share an id."""
    from pyspark.sql import functions as F

    empty = articles.filter(F.col("id").isNull() | F.col("text").isNull()).first()
    if empty is not None:
        what = "id" if empty["id"] is None else "text"
        raise InputError(f"article number {empty['n'] + 1} (in input order) has no {what}")
    twice = articles.groupBy("id").count().filter(F.col("count") > 1).first()
    if twice is not None:
        raise InputError(f"duplicate article id {twice['id']!r}; ids must be unique")
