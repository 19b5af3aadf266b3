"""The platform's MQTT subscriber: reads every device's topic from the broker and stores the readings.

It connects as the platform's user (broker.platform_credentials) with a persistent session (a fixed client id,
clean_session off) and QoS 1, so the broker keeps what devices publish while the subscriber is away and sends it
when it is back. Messages are acknowledged by hand, only after the batch they belong to is committed
(services.ingest.ingest_batch): a subscriber that dies between receiving and storing gets them again, and the
readings already stored are recognised by (device, metric, time) and stored once.

Topics are mueve/<jurisdiction>/<device>/attrs; the broker's ACL lets a device publish only on its own, and the
ingest checks the topic's jurisdiction against the device's again.
"""

import logging
import queue
import threading
import time
from urllib.parse import urlsplit

import paho.mqtt.client as mqtt
from django.conf import settings
from django.db import close_old_connections

from mueve.sensors import broker
from mueve.sensors.services.ingest import Message, ingest_batch

log = logging.getLogger(__name__)

TOPIC = "mueve/+/+/attrs"
BATCH = 500
LINGER_SECONDS = 0.05


def broker_address(url: str | None = None) -> tuple[str, int]:
    parts = urlsplit(url or getattr(settings, "MUEVE_MQTT_URL", "") or "mqtt://127.0.0.1:1883")
    return parts.hostname or "127.0.0.1", parts.port or 1883


def parse_topic(topic: str) -> tuple[str, str] | None:
    parts = topic.split("/")
    if len(parts) != 4 or parts[0] != "mueve" or parts[3] != "attrs" or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


class Subscriber:
    def __init__(self, *, url: str | None = None, client_id: str = "mueve-platform", username=None, password=None):
        self.host, self.port = broker_address(url)
        if username is None:
            username, password = broker.platform_credentials()
        self.client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2,
            client_id=client_id,
            clean_session=False,
            protocol=mqtt.MQTTv311,
            manual_ack=True,
        )
        self.client.username_pw_set(username, password)
        self.client.max_inflight_messages_set(1000)
        self.client.reconnect_delay_set(min_delay=1, max_delay=5)
        self.client.on_connect = self._on_connect
        self.client.on_message = self._on_message
        self.inbox: queue.Queue = queue.Queue()
        self.stopping = threading.Event()
        self.connected = threading.Event()
        self.stored = 0
        self.thread: threading.Thread | None = None

    def _on_connect(self, client, userdata, flags, reason_code, properties):
        if reason_code.is_failure:
            log.error("MQTT broker refused the platform's subscriber: %s", reason_code)
            return
        client.subscribe(TOPIC, qos=1)
        self.connected.set()

    def _on_message(self, client, userdata, msg):
        self.inbox.put(msg)

    def start(self) -> "Subscriber":
        self.client.connect_async(self.host, self.port, keepalive=30)
        self.client.loop_start()
        self.thread = threading.Thread(target=self._store_loop, name="mueve-sensors-mqtt", daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        if self.thread:
            self.thread.join(timeout=10)
        self.client.disconnect()
        self.client.loop_stop()

    def _take_batch(self) -> list:
        try:
            first = self.inbox.get(timeout=0.2)
        except queue.Empty:
            return []
        batch = [first]
        deadline = time.monotonic() + LINGER_SECONDS
        while len(batch) < BATCH:
            remaining = deadline - time.monotonic()
            try:
                batch.append(self.inbox.get(timeout=max(remaining, 0)) if remaining > 0 else self.inbox.get_nowait())
            except queue.Empty:
                break
        return batch

    def _store_loop(self) -> None:
        while not self.stopping.is_set():
            batch = self._take_batch()
            if not batch:
                continue
            messages = []
            for msg in batch:
                where = parse_topic(msg.topic)
                jurisdiction, uid = where if where else ("", msg.topic[:200])
                messages.append(
                    Message(device_uid=uid, payload=msg.payload, via="mqtt", topic_jurisdiction=jurisdiction)
                )
            while not self.stopping.is_set():
                try:
                    close_old_connections()
                    outcome = ingest_batch(messages)
                    break
                except Exception:  # the database is away: keep the batch unacknowledged and try again
                    log.exception("storing %d MQTT messages failed; retrying", len(messages))
                    time.sleep(1)
            else:
                return  # stopping: the broker sends the unacknowledged batch again to the next subscriber
            self.stored += outcome.stored
            for msg in batch:
                self.client.ack(msg.mid, msg.qos)


def run_forever(url: str | None = None) -> None:
    subscriber = Subscriber(url=url).start()
    log.info("MQTT subscriber on %s:%s", subscriber.host, subscriber.port)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        subscriber.stop()
