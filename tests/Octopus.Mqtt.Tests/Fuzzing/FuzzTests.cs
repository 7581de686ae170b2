using System.Text;
using CsCheck;
using Octopus.Mqtt.Tests.Options;
using Octopus.Mqtt.Tests.Shared;
using static Octopus.Mqtt.Tests.Fuzzing.FuzzBudget;
using static Octopus.Mqtt.Tests.References.TestCertificates;

namespace Octopus.Mqtt.Tests.Fuzzing;

/// <summary>
/// Random and mutated inputs against the parsers: each either succeeds or throws only its documented exception,
/// never a NullReferenceException, IndexOutOfRangeException or the like, and never hangs.
/// </summary>
public sealed class FuzzTests
{
    private static readonly string[] FieldNames =
    [
        "client", "message", "server", "protocolVersion", "basicAuth", "username", "password", "usernameRef", "passwordRef",
        "name", "item", "tlsConfig", "caFilePEM", "certFilePEM", "keyFilePEM", "caFilePEMRef", "serverName", "insecureSkipVerify",
        "cleanSession", "store", "type", "directoryPrefix", "resumeSubs", "connectTimeout", "keepAlive", "pingTimeout", "order",
        "writeTimeout", "waitTimeout", "disconnectQuiesce", "autoReconnect", "maxReconnectInterval", "messageChannelDepth",
        "httpHeaders", "topic", "will", "content", "qos", "retained", "path", "operator", "read", "write", "connectionTime", "x",
    ];

    private static readonly Gen<string> Scalar = Gen.OneOf(
        Gen.OneOfConst("true", "false", "null", "0", "-1", "1.5", "1e400", "99999999999", "\"\"", "\"1m30s\"", "\"tcp://b:1\"", "\"File\"", "\"b2Zm\"", "\"\\u0000\"", "\"\\uD800\""),
        Gen.Long.Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.String[Gen.Char["ab:/.+#sm0-9µ\\\"é"], 0, 12].Select(s => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\""));

    private static readonly Gen<string> JsonValue = Gen.Recursive<string>((depth, value) => depth >= 3
        ? Scalar
        : Gen.Frequency(
            (4, Scalar),
            (3, Gen.Select(Gen.OneOfConst(FieldNames), value).Array[0, 6]
                .Select(fields => "{" + string.Join(',', fields.Select(f => $"\"{f.Item1}\":{f.Item2}")) + "}")),
            (1, value.Array[0, 3].Select(items => "[" + string.Join(',', items) + "]"))));

    private static readonly Gen<string> MutatedOptions = Gen.Int.Select(seed => Mutate(OptionsDocuments.Full, new Random(seed)));

    [Fact]
    public void OptionsJsonRead_RandomDocuments_OnlyMqttOptionsException() =>
        Run("options JSON (random documents)", JsonValue, 3_000, ReadOptions);

    [Fact]
    public void OptionsJsonRead_MutatedFullDocument_OnlyMqttOptionsException() =>
        Run("options JSON (mutated documents)", MutatedOptions, 3_000, ReadOptions);

    [Fact]
    public void OptionsJsonRead_RandomBytes_OnlyMqttOptionsException() =>
        Run("options JSON (random bytes)", Gen.Byte.Array[0, 120], 5_000, bytes => Convert.ToHexString(bytes), bytes =>
        {
            try
            {
                _ = MqttOptionsJson.Read(bytes.AsSpan());
            }
            catch (Exception e)
            {
                Allow(e, Convert.ToHexString(bytes), typeof(MqttOptionsException));
            }
        });

    [Fact]
    public void GoDurationParse_RandomText_FormatExceptionOnlyAndRoundTrips() =>
        Run("GoDuration.Parse/TryParse", Gen.Frequency(
            (4, Gen.String[Gen.Char["0123456789.+-nsuµmh "], 0, 24]),
            (1, Gen.String)), 20_000, text =>
        {
            var parsed = GoDuration.TryParse(text, out var value);
            try
            {
                var again = GoDuration.Parse(text);
                if (!parsed || again != value)
                {
                    throw new InvalidOperationException($"Parse and TryParse disagree on \"{text}\"");
                }

                if (GoDuration.Parse(value.ToString()) != value)
                {
                    throw new InvalidOperationException($"\"{text}\" does not round-trip through \"{value}\"");
                }
            }
            catch (FormatException) when (!parsed)
            {
                // Documented: not a Go duration.
            }
        });

    [Fact]
    public void ServerAddressTryParse_RandomText_NeverThrows() =>
        Run("ServerAddress.TryParse", Gen.Frequency(
            (4, Gen.Select(Gen.OneOfConst("tcp://", "ssl://", "ws://", "wss://", "unix://", "TCP://", "://", ""), Gen.String[Gen.Char["ab:/[]@%.0159-?#"], 0, 20]).Select((a, b) => a + b)),
            (1, Gen.String)), 20_000, text =>
        {
            if (ServerAddress.TryParse(text, out var address, out var error) == (error is not null) || (address is null) == (error is null))
            {
                throw new InvalidOperationException($"TryParse gave both or neither of an address and an error for \"{text}\"");
            }
        });

    [Fact]
    public void TopicRender_RandomTemplatesValuesAndMaps_OnlyMqttTopicException()
    {
        var text = Gen.Frequency((3, Gen.String[Gen.Char["ab/:+#\0é"], 0, 10]), (1, Gen.String));
        var maps = Gen.Select(Gen.OneOfConst("path", "operator", "gear", "name", ""), text).Array[0, 3]
            .Select(pairs => (IReadOnlyDictionary<string, string>)pairs.GroupBy(p => p.Item1).ToDictionary(g => g.Key, g => g.Last().Item2));
        var input = Gen.Select(text, Gen.Select(text, text, text), text, maps);
        Run("topic renderer", input, 10_000, i => string.Join(" | ", i.Item1, i.Item2, i.Item3, string.Join(',', i.Item4)), i =>
        {
            var (template, (ns, name, uid), path, map) = i;
            try
            {
                var topic = MqttTopicTemplate.Parse(template).Bind(new DeviceIdentity(ns, name, uid), new MqttMessageSettings { Topic = template, Path = path });
                try
                {
                    _ = topic.RenderForPublish(map);
                }
                catch (MqttTopicException)
                {
                    // Documented for a publish topic; the subscribe topic is still rendered below.
                }

                _ = topic.RenderForSubscribe(map);
            }
            catch (Exception e)
            {
                Allow(e, template, typeof(MqttTopicException));
            }
        });
    }

    [Fact]
    public void CredentialsBuilder_MutatedPem_OnlyMqttCredentialsException()
    {
        var ca = TestPki.CertificatePem(Root) + TestPki.CertificatePem(Intermediate);
        var cert = TestPki.CertificatePem(ClientRsa);
        var key = TestPki.Pkcs8KeyPem(ClientEc);
        var traditional = TestPki.TraditionalKeyPem(ClientRsa);
        var input = Gen.Select(Gen.Int, Gen.Int[0, 3]).Select((seed, which) =>
        {
            var random = new Random(seed);
            return which switch
            {
                0 => new MqttTlsSettings { CaFilePEM = Mutate(ca, random) },
                1 => new MqttTlsSettings { CertFilePEM = Mutate(cert, random), KeyFilePEM = TestPki.Pkcs8KeyPem(ClientRsa) },
                2 => new MqttTlsSettings { CertFilePEM = TestPki.CertificatePem(ClientEc), KeyFilePEM = Mutate(key, random) },
                _ => new MqttTlsSettings { CertFilePEM = cert, KeyFilePEM = Mutate(traditional, random) },
            };
        });
        Run("PEM through the credentials builder", input, 400, t => t.CaFilePEM ?? t.CertFilePEM + t.KeyFilePEM, tls =>
        {
            try
            {
                _ = MqttCredentialsBuilder.BuildAsync(new MqttClientSettings { Server = "ssl://broker:8883", TlsConfig = tls }, null).AsTask().GetAwaiter().GetResult();
            }
            catch (Exception e)
            {
                Allow(e, tls.CaFilePEM ?? tls.CertFilePEM + tls.KeyFilePEM, typeof(MqttCredentialsException));
            }
        });
    }

    private static void ReadOptions(string json)
    {
        try
        {
            var options = MqttOptionsJson.Read(json).Options;
            _ = MqttOptionsValidator.GetProblems(options);
            _ = MqttOptionsJson.Read(MqttOptionsJson.Write(options));
        }
        catch (Exception e)
        {
            Allow(e, json, typeof(MqttOptionsException));
        }
    }

    private static void Run(string target, Gen<string> gen, long ci, Action<string> check) => Run(target, gen, ci, s => s, check);

    private static void Run<T>(string target, Gen<T> gen, long ci, Func<T, string> show, Action<T> check)
    {
        var iterations = Iterations(ci);
        long tried = 0;
        gen.Sample(value =>
        {
            Interlocked.Increment(ref tried);
            WithinTimeout(show(value), () => check(value));
        }, iter: iterations);
        Report(target, tried);
    }

    /// <summary>One to four random edits: delete, insert, duplicate or replace a span; swap a PEM label; cut the end.</summary>
    private static string Mutate(string text, Random random)
    {
        var builder = new StringBuilder(text);
        const string Alphabet = "{}[]\":,.0123456789-+=/abcxyzABCXYZ \n\r\t\\µé\0-----BEGIN END";
        for (var edits = random.Next(1, 5); edits > 0 && builder.Length > 0; edits--)
        {
            var at = random.Next(builder.Length);
            var length = Math.Min(random.Next(1, 16), builder.Length - at);
            switch (random.Next(6))
            {
                case 0:
                    builder.Remove(at, length);
                    break;
                case 1:
                    builder.Insert(at, Alphabet[random.Next(Alphabet.Length)]);
                    break;
                case 2:
                    builder.Insert(at, builder.ToString(at, length));
                    break;
                case 3:
                    builder[at] = Alphabet[random.Next(Alphabet.Length)];
                    break;
                case 4:
                    builder.Replace("CERTIFICATE", random.Next(2) == 0 ? "PRIVATE KEY" : "CERTIFICATE REQUEST");
                    break;
                default:
                    builder.Length = at;
                    break;
            }
        }

        return builder.ToString();
    }
}
