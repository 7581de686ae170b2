using System.Text;

namespace Octopus.Mqtt.Tests.References;

public sealed partial class MqttCredentialsBuilderTests
{
    private static readonly InMemoryReferenceResolver Secrets = new()
    {
        { "mqtt-secret", "username", "ref-user" },
        { "mqtt-secret", "password", "ref-pass\n" },
        { "mqtt-secret", "empty", string.Empty },
        { "mqtt-secret", "latin1", new byte[] { 0x61, 0xE9, 0x62 } },
    };

    [Fact]
    public async Task BuildAsync_NoBasicAuthNoTls_GivesNoCredentials()
    {
        var credentials = await BuildAsync(Client());

        credentials.Should().Be(MqttCredentials.None with { });
        credentials.ClientCertificateChain.Should().BeNull();
    }

    [Fact]
    public async Task BuildAsync_Literals_AreUsedAsTheyAre()
    {
        var credentials = await BuildAsync(Client(new MqttBasicAuthSettings { Username = "admin", Password = "pässword " }));

        credentials.Username.Should().Be("admin");
        credentials.Password.Should().Equal(Encoding.UTF8.GetBytes("pässword "));
    }

    [Fact]
    public async Task BuildAsync_Refs_ReadTheItemsExactly()
    {
        var credentials = await BuildAsync(
            Client(new MqttBasicAuthSettings { UsernameRef = Ref("mqtt-secret", "username"), PasswordRef = Ref("mqtt-secret", "password") }),
            Secrets);

        credentials.Username.Should().Be("ref-user");
        credentials.Password.Should().Equal(Encoding.UTF8.GetBytes("ref-pass\n"));
    }

    [Fact]
    public async Task BuildAsync_LiteralAndRef_LiteralWinsAndTheRefIsNotRead()
    {
        var resolver = new CountingResolver(Secrets);

        var credentials = await BuildAsync(
            Client(new MqttBasicAuthSettings
            {
                Username = "literal-user",
                UsernameRef = Ref("missing", "username"),
                Password = "literal-pass",
                PasswordRef = Ref("missing", "password"),
            }),
            resolver);

        credentials.Username.Should().Be("literal-user");
        credentials.Password.Should().Equal(Encoding.UTF8.GetBytes("literal-pass"));
        resolver.Calls.Should().Be(0);
    }

    [Fact]
    public async Task BuildAsync_EmptyLiteralAndRef_ReadsTheRef()
    {
        var credentials = await BuildAsync(
            Client(new MqttBasicAuthSettings { Username = string.Empty, UsernameRef = Ref("mqtt-secret", "username"), Password = "p" }),
            Secrets);

        credentials.Username.Should().Be("ref-user");
    }

    [Fact]
    public async Task BuildAsync_UsernameBlank_NamesTheUsername()
    {
        var error = await FailureAsync(Client(new MqttBasicAuthSettings { Password = "p" }));

        error.Message.Should().Be("client.basicAuth.username: is blank and no usernameRef is set; basic auth needs a non-empty username and password");
        error.FieldPath.Should().Be("client.basicAuth.username");
        error.ReferenceName.Should().BeNull();
    }

    [Fact]
    public async Task BuildAsync_PasswordBlank_NamesThePassword()
    {
        var error = await FailureAsync(Client(new MqttBasicAuthSettings { Username = "admin", Password = string.Empty }));

        error.Message.Should().Be("client.basicAuth.password: is blank and no passwordRef is set; basic auth needs a non-empty username and password");
        error.FieldPath.Should().Be("client.basicAuth.password");
    }

    [Theory]
    [InlineData("missing-secret", "password", "client.basicAuth.passwordRef: reference \"missing-secret\" has no item \"password\" (or it is empty)")]
    [InlineData("mqtt-secret", "missing", "client.basicAuth.passwordRef: reference \"mqtt-secret\" has no item \"missing\" (or it is empty)")]
    [InlineData("mqtt-secret", "empty", "client.basicAuth.passwordRef: reference \"mqtt-secret\" has no item \"empty\" (or it is empty)")]
    public async Task BuildAsync_PasswordRefNotFound_NamesTheReferenceAndItem(string name, string item, string message)
    {
        var error = await FailureAsync(Client(new MqttBasicAuthSettings { Username = "admin", PasswordRef = Ref(name, item) }), Secrets);

        error.Message.Should().Be(message);
        error.FieldPath.Should().Be("client.basicAuth.passwordRef");
        error.ReferenceName.Should().Be(name);
        error.ReferenceItem.Should().Be(item);
    }

    [Fact]
    public async Task BuildAsync_UsernameRefNotFound_NamesTheUsernameRef()
    {
        var error = await FailureAsync(Client(new MqttBasicAuthSettings { UsernameRef = Ref("mqtt-secret", "user"), Password = "p" }), Secrets);

        error.Message.Should().Be("client.basicAuth.usernameRef: reference \"mqtt-secret\" has no item \"user\" (or it is empty)");
    }

    [Fact]
    public async Task BuildAsync_ResolverReturnsEmptyBytes_IsNotFound()
    {
        var error = await FailureAsync(
            Client(new MqttBasicAuthSettings { Username = "admin", PasswordRef = Ref("s", "p") }),
            new EmptyResolver());

        error.Message.Should().Be("client.basicAuth.passwordRef: reference \"s\" has no item \"p\" (or it is empty)");
    }

    [Fact]
    public async Task BuildAsync_RefWithoutName_NamesTheNameField()
    {
        var error = await FailureAsync(Client(new MqttBasicAuthSettings { Username = "admin", PasswordRef = Ref(string.Empty, "password") }), Secrets);

        error.Message.Should().Be("client.basicAuth.passwordRef.name: is empty; a reference needs a name and an item");
        error.FieldPath.Should().Be("client.basicAuth.passwordRef.name");
    }

    [Fact]
    public async Task BuildAsync_RefWithoutItem_NamesTheItemField()
    {
        var error = await FailureAsync(Client(new MqttBasicAuthSettings { UsernameRef = Ref("mqtt-secret", string.Empty), Password = "p" }), Secrets);

        error.Message.Should().Be("client.basicAuth.usernameRef.item: is empty for reference \"mqtt-secret\"; a reference needs a name and an item");
        error.FieldPath.Should().Be("client.basicAuth.usernameRef.item");
        error.ReferenceName.Should().Be("mqtt-secret");
    }

    [Fact]
    public async Task BuildAsync_RefWithoutResolver_SaysNoResolverIsConfigured()
    {
        var error = await FailureAsync(Client(new MqttBasicAuthSettings { Username = "admin", PasswordRef = Ref("mqtt-secret", "password") }), references: null);

        error.Message.Should().Be("client.basicAuth.passwordRef: reference \"mqtt-secret\" item \"password\" cannot be read: no reference resolver is configured");
    }

    [Fact]
    public async Task BuildAsync_StoreFails_WrapsItsExceptionWithThePathAndReference()
    {
        var failure = new IOException("Permission denied");

        var error = await FailureAsync(
            Client(new MqttBasicAuthSettings { Username = "admin", PasswordRef = Ref("mqtt-secret", "password") }),
            new ThrowingResolver(failure));

        error.Message.Should().Be("client.basicAuth.passwordRef: reading reference \"mqtt-secret\" item \"password\" failed: Permission denied");
        error.InnerException.Should().BeSameAs(failure);
        error.ReferenceName.Should().Be("mqtt-secret");
        error.ReferenceItem.Should().Be("password");
    }

    [Fact]
    public async Task BuildAsync_DirectoryStoreRefusesTheName_WrapsItsArgumentException()
    {
        using var root = new TempDirectory();

        var error = await FailureAsync(
            Client(new MqttBasicAuthSettings { Username = "admin", PasswordRef = Ref("../etc", "shadow") }),
            new DirectoryReferenceResolver(root.Path));

        error.Message.Should().Be(
            "client.basicAuth.passwordRef: reading reference \"../etc\" item \"shadow\" failed: The reference name \"../etc\" cannot be read from a reference directory: it must not be empty or \".\", start with \"..\", or contain '/', '\\' or NUL. (Parameter 'name')");
        error.InnerException.Should().BeOfType<ArgumentException>();
    }

    [Fact]
    public async Task BuildAsync_Canceled_PassesTheCancellationOn()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await FluentActions.Awaiting(async () => await MqttCredentialsBuilder.BuildAsync(
                Client(new MqttBasicAuthSettings { Username = "admin", PasswordRef = Ref("mqtt-secret", "password") }),
                Secrets,
                cancellation.Token))
            .Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task BuildAsync_UsernameRefNotUtf8_IsRefused()
    {
        var error = await FailureAsync(Client(new MqttBasicAuthSettings { UsernameRef = Ref("mqtt-secret", "latin1"), Password = "p" }), Secrets);

        error.Message.Should().Be("client.basicAuth.usernameRef: reference \"mqtt-secret\" item \"latin1\" is not valid UTF-8");
    }

    [Fact]
    public async Task BuildAsync_CalledAgainAfterRotation_ReadsTheNewSecret()
    {
        var references = new InMemoryReferenceResolver { { "mqtt-secret", "password", "first" } };
        var client = Client(new MqttBasicAuthSettings { Username = "admin", PasswordRef = Ref("mqtt-secret", "password") });
        (await BuildAsync(client, references)).Password.Should().Equal(Encoding.UTF8.GetBytes("first"));

        references.Add("mqtt-secret", "password", "rotated");

        (await BuildAsync(client, references)).Password.Should().Equal(Encoding.UTF8.GetBytes("rotated"));
    }

    [Fact]
    public async Task ToString_OfTheResult_NeverShowsThePassword()
    {
        var credentials = await BuildAsync(Client(new MqttBasicAuthSettings { Username = "admin", Password = "hunter2" }));

        credentials.ToString().Should().NotContain("hunter2").And.Contain("password=***");
    }

    private sealed class EmptyResolver : IReferenceResolver
    {
        public ValueTask<byte[]?> ResolveAsync(string name, string item, CancellationToken cancellationToken = default) => ValueTask.FromResult<byte[]?>([]);
    }
}
