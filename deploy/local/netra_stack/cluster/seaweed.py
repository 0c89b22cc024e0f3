"""SeaweedFS as separate processes: one master, three volume servers, one filer, one S3 gateway.

Every object is written to two volume servers (replication 001: one more copy on another server
of the same rack), so one volume server may die without an object becoming unreadable; the
master then grows new writable volumes on the two left. S3 takes the same identities file as the
local stack (no anonymous identity: every request signed).
"""

from __future__ import annotations

from netra_stack import private
from netra_stack.processes import ManagedProcess
from netra_stack.seaweed import identities, weed_binary

from .settings import NODES, ClusterSettings

REPLICATION = "001"


def processes(cluster: ClusterSettings, secrets: dict) -> dict[str, ManagedProcess]:
    root = private.folder(cluster.data_dir / "seaweedfs")
    config = cluster.data_dir / "s3-identities.json"
    private.write_json(config, identities(secrets))
    weed = weed_binary()
    master = f"127.0.0.1:{cluster.seaweed_master[0]}.{cluster.seaweed_master[1]}"
    logs = cluster.log_dir
    found = {"seaweed-master": ManagedProcess("seaweed-master", [
        weed, "master", f"-mdir={private.folder(root / 'master')}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
        f"-port={cluster.seaweed_master[0]}", f"-port.grpc={cluster.seaweed_master[1]}",
        f"-defaultReplication={REPLICATION}", "-volumeSizeLimitMB=64", "-telemetry=false",
        "-garbageThreshold=0.000001", "-vacuumIntervalSeconds=300"],
        log_path=logs / "seaweed-master.log", stop_timeout=25)}
    for index in range(NODES):
        port, grpc = cluster.seaweed_volumes[index]
        name = f"seaweed-volume-{index + 1}"
        found[name] = ManagedProcess(name, [
            weed, "volume", f"-dir={private.folder(root / f'volume{index + 1}')}", f"-mserver={master}",
            "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-port={port}", f"-port.grpc={grpc}", "-max=100",
            "-preStopSeconds=0", "-rack=rack1", "-dataCenter=dc1"],
            log_path=logs / f"{name}.log", stop_timeout=25)
    found["seaweed-filer"] = ManagedProcess("seaweed-filer", [
        weed, "filer", f"-master={master}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
        f"-port={cluster.seaweed_filer[0]}", f"-port.grpc={cluster.seaweed_filer[1]}",
        f"-defaultStoreDir={private.folder(root / 'filer')}"],
        log_path=logs / "seaweed-filer.log", stop_timeout=25)
    found["seaweed-s3"] = ManagedProcess("seaweed-s3", [
        weed, "s3", f"-filer=127.0.0.1:{cluster.seaweed_filer[0]}.{cluster.seaweed_filer[1]}",
        "-ip.bind=127.0.0.1", f"-port={cluster.seaweed_s3[0]}", f"-port.grpc={cluster.seaweed_s3[1]}",
        "-port.iceberg=0", "-port.lance=0", "-iam=false", f"-config={config}"],
        log_path=logs / "seaweed-s3.log", stop_timeout=25)
    return found
