using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Thermo;

var builder = Host.CreateApplicationBuilder(args);

// Octopus.Mqtt: the device links (IMqttDeviceLinks) that run each device's MQTT client, and a hosted service
// that disconnects every device gracefully when the host stops.
builder.Services.AddOctopusMqtt();

// The adaptor: the device, the part that publishes its status, and the loop that drives them.
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<TemperatureSensor>();
builder.Services.AddSingleton<TemperatureAdaptor>();
builder.Services.AddHostedService<TemperatureWorker>();

await builder.Build().RunAsync();
