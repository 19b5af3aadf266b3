"""Readings over real MQTT (Mosquitto, started by the test with the credentials and ACLs the platform generates),
published with paho-mqtt at QoS 1: stored once; a device cannot publish on another's topic; a revoked device is cut
off; neither a broker restart nor a subscriber restart loses a reading."""

import json
import shutil
import socket
import subprocess
import time
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from django.utils import timezone

from mueve.sensors import broker
from mueve.sensors.models import Reading, RejectedReading
from mueve.sensors.mqtt import Subscriber
from mueve.sensors.services.devices import device_revoke

MOSQUITTO = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
pytestmark = pytest.mark.skipif(not Path(MOSQUITTO).exists(), reason="Debian's mosquitto is not installed")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout=20.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


class Broker:
    def __init__(self, directory: Path):
        self.directory = directory
        self.port = free_port()
        self.proc = None

    def start(self):
        conf = broker.write_files(self.directory, port=self.port)
        self.proc = subprocess.Popen([MOSQUITTO, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        (self.directory / "mosquitto.pid").write_text(str(self.proc.pid))
        try:
            wait_for(self._listening, what="mosquitto to listen")
        except AssertionError:
            self.proc.kill()
            raise AssertionError(self.proc.communicate()[1].decode()) from None
        return self

    def _listening(self) -> bool:
        with socket.socket() as s:
            return s.connect_ex(("127.0.0.1", self.port)) == 0

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()  # saves its persistence file (the subscriber's queued messages) on the way out
            self.proc.wait(timeout=10)

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"


@pytest.fixture
def mosquitto(transactional_db, tmp_path, settings):
    settings.MUEVE_MQTT_CONFIG_DIR = str(tmp_path / "broker")
    settings.MUEVE_MQTT_PASSWORD = "platform-secret-for-tests"
    made = Broker(tmp_path / "broker")
    yield made
    made.stop()


@pytest.fixture
def subscriber_factory(mosquitto):
    started = []

    def start(client_id="mueve-platform"):
        sub = Subscriber(url=mosquitto.url, client_id=client_id).start()
        wait_for(sub.connected.is_set, what="the subscriber to connect")
        time.sleep(0.2)  # the SUBACK
        started.append(sub)
        return sub

    yield start
    for sub in started:
        sub.stop()


class Device:
    """A device's MQTT client: its uid as username, its secret as password, QoS 1, a persistent session."""

    def __init__(self, mosquitto, uid, secret):
        self.uid = uid
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"dev-{uid}", clean_session=False)
        self.client.username_pw_set(uid, secret)
        self.refused = None
        self.client.on_connect = self._on_connect
        self.mosquitto = mosquitto

    def _on_connect(self, client, userdata, flags, reason_code, properties):
        self.refused = reason_code.is_failure

    def connect(self):
        self.client.connect("127.0.0.1", self.mosquitto.port)
        self.client.loop_start()
        wait_for(lambda: self.refused is not None, what=f"{self.uid}'s CONNACK")
        return self

    def publish(self, topic, body):
        info = self.client.publish(topic, json.dumps(body), qos=1)
        info.wait_for_publish(timeout=10)
        return info

    def close(self):
        self.client.disconnect()
        self.client.loop_stop()


def reading(value, seconds_ago=0):
    at = timezone.now().replace(microsecond=0) - timezone.timedelta(seconds=seconds_ago)
    return {"power": value, "observedAt": at.isoformat()}


def test_stored_once_and_only_on_its_own_topic(provision, mosquitto, subscriber_factory):
    a, secret_a = provision("luz-a")
    b, _secret_b = provision("luz-b")
    mosquitto.start()
    sub = subscriber_factory()
    dev = Device(mosquitto, "luz-a", secret_a).connect()
    assert dev.refused is False
    body = reading(40)
    dev.publish(a.topic, body)
    dev.publish(a.topic, body)  # the same reading again (a device's retry): stored once
    dev.publish(b.topic, reading(99))  # another device's topic: the broker's ACL drops it
    dev.publish(f"mueve/otra/{a.uid}/attrs", reading(98))  # its uid under another jurisdiction: dropped too
    dev.publish(a.topic, reading(41, seconds_ago=5))  # published last: once it is in, the ones before were handled
    wait_for(lambda: Reading.objects.filter(device=a).count() == 2, what="device a's readings")
    time.sleep(0.3)
    assert sorted(Reading.objects.filter(device=a).values_list("value", flat=True)) == [40.0, 41.0]
    assert not Reading.objects.filter(device=b).exists()
    assert sub.stored == 2
    dev.close()


def test_revoked_device_is_cut_off(provision, official, mosquitto, subscriber_factory):
    a, secret_a = provision("luz-a")
    mosquitto.start()
    subscriber_factory()
    dev = Device(mosquitto, "luz-a", secret_a).connect()
    dev.publish(a.topic, reading(1))
    wait_for(lambda: Reading.objects.filter(device=a).count() == 1, what="the first reading")
    device_revoke(actor=official, device=a)  # rewrites the ACL and reloads the broker (SIGHUP)
    time.sleep(0.5)
    # On its open connection: the reloaded broker disconnects it (or drops what it sends; the ingest refuses it too).
    dev.client.publish(a.topic, json.dumps(reading(2, seconds_ago=1)), qos=1)
    dev.close()

    def reconnect_refused() -> bool:  # once the broker has reloaded its files, a new connection is refused outright
        again = Device(mosquitto, "luz-a", secret_a).connect()
        again.close()
        return again.refused is True

    wait_for(reconnect_refused, what="the broker to refuse the revoked device")
    time.sleep(0.5)
    assert list(Reading.objects.filter(device=a).values_list("value", flat=True)) == [1.0]


def test_broker_restart_loses_no_qos1_reading(provision, mosquitto, subscriber_factory):
    a, secret_a = provision("luz-a")
    mosquitto.start()
    sub = subscriber_factory()
    sub.stop()  # away: the broker queues for its persistent session
    dev = Device(mosquitto, "luz-a", secret_a).connect()
    for i in range(50):
        dev.publish(a.topic, reading(i, seconds_ago=i))
    dev.close()
    mosquitto.stop()
    mosquitto.start()  # same port, same persistence file
    subscriber_factory()
    wait_for(lambda: Reading.objects.filter(device=a).count() == 50, what="all 50 readings after the restart")


def test_subscriber_restart_loses_no_reading(provision, mosquitto, subscriber_factory):
    a, secret_a = provision("luz-a")
    mosquitto.start()
    first = subscriber_factory()
    dev = Device(mosquitto, "luz-a", secret_a).connect()
    for i in range(20):
        dev.publish(a.topic, reading(i, seconds_ago=i))
    first.stop()
    for i in range(20, 60):
        dev.publish(a.topic, reading(i, seconds_ago=i))
    subscriber_factory()
    wait_for(lambda: Reading.objects.filter(device=a).count() == 60, what="all 60 readings")
    assert not RejectedReading.objects.exists()
    dev.close()
