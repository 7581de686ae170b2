namespace Octopus.Mqtt.Tests.Options;

/// <summary>Documents and option objects shared by the options tests.</summary>
internal static class OptionsDocuments
{
    public const string Password = "s3cr3t-pa55";

    public const string PrivateKey = "-----BEGIN PRIVATE KEY-----\nK3Y-S3CR3T\n-----END PRIVATE KEY-----";

    /// <summary>Sets every field to a value other than its default, in canonical form (as written back).</summary>
    public const string Full = """
        {
          "client": {
            "server": "wss://broker.example:8443/mqtt",
            "servers": ["wss://broker-2.example:8443/mqtt", "wss://broker-3.example:8443/mqtt"],
            "protocolVersion": 5,
            "basicAuth": {
              "username": "adaptor",
              "usernameRef": { "name": "mqtt-auth", "item": "user" },
              "password": "s3cr3t-pa55",
              "passwordRef": { "name": "mqtt-auth", "item": "pass" }
            },
            "tlsConfig": {
              "caFilePEM": "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----",
              "caFilePEMRef": { "name": "tls", "item": "ca.crt" },
              "certFilePEM": "-----BEGIN CERTIFICATE-----\nCERT\n-----END CERTIFICATE-----",
              "certFilePEMRef": { "name": "tls", "item": "tls.crt" },
              "keyFilePEM": "-----BEGIN PRIVATE KEY-----\nK3Y-S3CR3T\n-----END PRIVATE KEY-----",
              "keyFilePEMRef": { "name": "tls", "item": "tls.key" },
              "serverName": "broker.internal",
              "insecureSkipVerify": true
            },
            "cleanSession": false,
            "store": { "type": "File", "directoryPrefix": "/var/lib/mqtt" },
            "resumeSubs": true,
            "connectTimeout": "45s",
            "keepAlive": "1m30s",
            "pingTimeout": "2.5s",
            "order": false,
            "writeTimeout": "300ms",
            "waitTimeout": "1h0m0s",
            "disconnectQuiesce": "750ms",
            "autoReconnect": false,
            "maxReconnectInterval": "2h45m0s",
            "stableConnectionTime": "45s",
            "messageChannelDepth": 250,
            "httpHeaders": { "Authorization": ["Bearer t0k3n"], "X-Trace": ["a", "b"] }
          },
          "message": {
            "topic": "cattle.io/octopus/:namespace/:name",
            "will": { "topic": "cattle.io/octopus/:namespace/:name/gone", "content": "b2ZmbGluZQ==", "qos": 2, "retained": false },
            "qos": 0,
            "retained": false,
            "path": "region/ap",
            "operator": { "read": "status", "write": "set" }
          }
        }
        """;

    /// <summary>The seed documentation's example DeviceLink, as JSON, with a namespace and a UID added.</summary>
    public const string LivingRoomFan = """
        {
          "apiVersion": "edge.cattle.io/v1alpha1",
          "kind": "DeviceLink",
          "metadata": {
            "namespace": "default",
            "name": "living-room-fan",
            "uid": "9e8efcb0-4b79-45e7-a4c4-3349562292e3"
          },
          "spec": {
            "adaptor": { "node": "edge-worker", "name": "adaptors.edge.cattle.io/dummy" },
            "model": { "apiVersion": "devices.edge.cattle.io/v1alpha1", "kind": "DummySpecialDevice" },
            "template": {
              "metadata": { "labels": { "device": "living-room-fan" } },
              "spec": {
                "extension": {
                  "mqtt": {
                    "client": { "server": "tcp://test.mosquitto.org:1883", "maxReconnectInterval": "20s" },
                    "message": { "topic": "cattle.io/octopus/:namespace/:name", "qos": 1 }
                  }
                },
                "protocol": { "location": "living_room" },
                "gear": "slow",
                "on": true
              }
            }
          }
        }
        """;

    /// <summary>The options <see cref="Full"/> stands for.</summary>
    public static MqttOptions FullOptions() => new()
    {
        Client = new MqttClientSettings
        {
            Server = "wss://broker.example:8443/mqtt",
            Servers = ["wss://broker-2.example:8443/mqtt", "wss://broker-3.example:8443/mqtt"],
            ProtocolVersion = 5,
            BasicAuth = new MqttBasicAuthSettings
            {
                Username = "adaptor",
                UsernameRef = new DeviceLinkReference { Name = "mqtt-auth", Item = "user" },
                Password = Password,
                PasswordRef = new DeviceLinkReference { Name = "mqtt-auth", Item = "pass" },
            },
            TlsConfig = new MqttTlsSettings
            {
                CaFilePEM = "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----",
                CaFilePEMRef = new DeviceLinkReference { Name = "tls", Item = "ca.crt" },
                CertFilePEM = "-----BEGIN CERTIFICATE-----\nCERT\n-----END CERTIFICATE-----",
                CertFilePEMRef = new DeviceLinkReference { Name = "tls", Item = "tls.crt" },
                KeyFilePEM = PrivateKey,
                KeyFilePEMRef = new DeviceLinkReference { Name = "tls", Item = "tls.key" },
                ServerName = "broker.internal",
                InsecureSkipVerify = true,
            },
            CleanSession = false,
            Store = new MqttStoreSettings { Type = MqttStoreType.File, DirectoryPrefix = "/var/lib/mqtt" },
            ResumeSubs = true,
            ConnectTimeout = GoDuration.FromSeconds(45),
            KeepAlive = GoDuration.FromSeconds(90),
            PingTimeout = GoDuration.FromMilliseconds(2500),
            Order = false,
            WriteTimeout = GoDuration.FromMilliseconds(300),
            WaitTimeout = GoDuration.FromMinutes(60),
            DisconnectQuiesce = GoDuration.FromMilliseconds(750),
            AutoReconnect = false,
            MaxReconnectInterval = GoDuration.FromMinutes(165),
            StableConnectionTime = GoDuration.FromSeconds(45),
            MessageChannelDepth = 250,
            HttpHeaders = new Dictionary<string, string[]>
            {
                ["Authorization"] = ["Bearer t0k3n"],
                ["X-Trace"] = ["a", "b"],
            },
        },
        Message = new MqttMessageSettings
        {
            Topic = "cattle.io/octopus/:namespace/:name",
            Will = new MqttWillSettings
            {
                Topic = "cattle.io/octopus/:namespace/:name/gone",
                Content = "offline"u8.ToArray(),
                Qos = MqttQos.ExactlyOnce,
                Retained = false,
            },
            Qos = MqttQos.AtMostOnce,
            Retained = false,
            Path = "region/ap",
            Operator = new MqttTopicOperator { Read = "status", Write = "set" },
        },
    };

    /// <summary>The smallest valid options: a server and a topic.</summary>
    public static MqttOptions Minimal() => new()
    {
        Client = new MqttClientSettings { Server = "tcp://broker:1883" },
        Message = new MqttMessageSettings { Topic = "cattle.io/octopus/:namespace/:name" },
    };
}
