namespace Fabric.Lab.Infrastructure;

/// <summary>Where the lab finds its image and Fabric, and where it keeps each run's disks and logs.</summary>
/// <param name="ImageDir">vmlinuz and initramfs.img (tests/lab/image/build-image.sh).</param>
/// <param name="ShareDir">The 9p share "lab": the guest scripts and the published Fabric.Host (in fabric/).</param>
/// <param name="WorkDir">This run's disks and logs.</param>
/// <param name="DotnetDir">The host's .NET installation, shared read-only with the guests.</param>
public sealed record LabPaths(string ImageDir, string ShareDir, string WorkDir, string DotnetDir)
{
    public string Kernel => Path.Combine(ImageDir, "vmlinuz");

    public string Initramfs => Path.Combine(ImageDir, "initramfs.img");

    /// <summary>Fabric.Host.dll as published into the share (run on the host and in the guests).</summary>
    public string FabricHostDll => Path.Combine(ShareDir, "fabric", "Fabric.Host.dll");

    public string Log(string name) => Path.Combine(WorkDir, name + ".log");

    public string Disk(string guest) => Path.Combine(WorkDir, guest + ".qcow2");
}
