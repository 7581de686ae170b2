using CsCheck;

namespace Octopus.Mqtt.Tests.Topics;

public sealed class MqttClientIdTests
{
    [Theory]
    [InlineData("835aea2e-5f80-4d14-88f5-40c4bda41aa3", "octopus-835aea2e5f804d1488f540c4bda41aa3")]
    [InlineData("9e8efcb0-4b79-45e7-a4c4-3349562292e3", "octopus-9e8efcb04b7945e7a4c43349562292e3")]
    [InlineData("", "octopus-")]
    [InlineData("----", "octopus-")]
    [InlineData("uid-xyz", "octopus-uidxyz")]
    [InlineData("not a uuid/ü", "octopus-not a uuid/ü")]
    public void Create_Uid_IsPrefixAndUidWithoutHyphens(string uid, string expected) =>
        MqttClientId.Create(uid).Should().Be(expected);

    [Fact]
    public void Create_Null_IsThePrefixAlone() =>
        MqttClientId.Create(null).Should().Be("octopus-");

    [Theory]
    [InlineData("9e8efcb0-4b79-45e7-a4c4-3349562292e3", "octopus-efcb04957c34593")]
    [InlineData("835aea2e-5f80-4d14-88f5-40c4bda41aa3", "octopus-5a8044f40c41aa3")]
    [InlineData("835AEA2E-5F80-4D14-88F5-40C4BDA41AA3", "octopus-5A8044F40C41AA3")]
    [InlineData("00000000-0000-0000-0000-000000000000", "octopus-000000000000000")]
    [InlineData("014997f5-1f12-498b-8631-d2f22920e20a", "octopus-4751f2b63d2220a")]
    [InlineData("12345678-1234-1234-1234-1234567890ab", "octopus-2568244446890ab")]
    public void CreateForMqtt31_Uuid_RemovesCharactersOnTheOctopusRing(string uid, string expected) =>
        MqttClientId.CreateForMqtt31(uid).Should().Be(expected);

    [Theory]
    [InlineData("ghijklmn-opqr-stuv-wxyz-ghijklmnopqr", "octopus-xyzghijklmnopqr")]
    [InlineData("------------------0123456789abcdefgh", "octopus-g")]
    [InlineData("-------------------0123456789abcdefg", "octopus-")]
    public void CreateForMqtt31_ThirtySixCharactersWithSeventeenToThirtyTwoNonHyphens_UsesTheRing(string uid, string expected) =>
        MqttClientId.CreateForMqtt31(uid).Should().Be(expected);

    [Theory]
    [InlineData("", "octopus-")]
    [InlineData("------------------------------------", "octopus-")]
    [InlineData("uid-xyz", "octopus-uidxyz")]
    [InlineData("0123456789abcde", "octopus-0123456789abcde")]
    [InlineData("0123-4567-89ab-cde", "octopus-0123456789abcde")]
    public void CreateForMqtt31_ShortUid_IsTheUidWithoutHyphens(string uid, string expected) =>
        MqttClientId.CreateForMqtt31(uid).Should().Be(expected);

    [Theory]
    [InlineData("835aea2e5f804d1488f540c4bda41aa3", "octopus-47331bae1c475d2")]
    [InlineData("835aea2e5f804d1488f540c4bda41aa3abcd", "octopus-501d123537c4132")]
    [InlineData("uid-xyz-0123456789abcdef", "octopus-8e9be6fe9ba2a0a")]
    [InlineData("ünïcode", "octopus-b8be8967e4de3eb")]
    [InlineData("a b", "octopus-c8687a08aa5d6ed")]
    public void CreateForMqtt31_OtherUid_IsTheStartOfItsSha256(string uid, string expected) =>
        MqttClientId.CreateForMqtt31(uid).Should().Be(expected);

    [Fact]
    public void CreateForMqtt31_Null_IsThePrefixAlone() =>
        MqttClientId.CreateForMqtt31(null).Should().Be("octopus-");

    [Fact]
    public void CreateForMqtt31_AnyUid_IsAtMost23PrintableAsciiCharacters() =>
        Gen.String[Gen.Char["0123456789abcdefABCDEFxyz-é \0"], 0, 80].Sample(uid =>
        {
            var id = MqttClientId.CreateForMqtt31(uid);
            id.Should().StartWith("octopus-");
            id.Length.Should().BeLessThanOrEqualTo(23);
            id.Should().MatchRegex("^[!-~]*$");
        });

    [Fact]
    public void CreateForMqtt31_AnyThirtySixCharacterUid_NeverLoops() =>
        Gen.String[Gen.Char["0af-z"], 36, 36].Sample(uid =>
            MqttClientId.CreateForMqtt31(uid).Length.Should().BeLessThanOrEqualTo(23));
}
