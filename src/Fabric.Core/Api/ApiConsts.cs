namespace Fabric.Core.Api;

/// <summary>LINSTOR's ret_code masks and codes (linstor-common consts.json), as signed 64-bit values.</summary>
public static class ApiConsts
{
    public const long MaskError = unchecked((long)0xC000000000000000UL);
    public const long MaskWarn = unchecked((long)0x8000000000000000UL);
    public const long MaskInfo = 0x4000000000000000L;

    public const long MaskCrt = 0x01000000L;
    public const long MaskMod = 0x02000000L;
    public const long MaskDel = 0x03000000L;
    public const long MaskBitsOp = 0x03000000L;

    public const long MaskBitsObj = 0x007C0000L;
    public const long MaskRscGrp = 0x440000L;
    public const long MaskVlmGrp = 0x480000L;
    public const long MaskNode = 0x3C0000L;
    public const long MaskRscDfn = 0x380000L;
    public const long MaskRsc = 0x340000L;
    public const long MaskVlmDfn = 0x300000L;
    public const long MaskVlm = 0x2C0000L;
    public const long MaskNodeConn = 0x280000L;
    public const long MaskNetIf = 0x1C0000L;
    public const long MaskStorPoolDfn = 0x180000L;
    public const long MaskStorPool = 0x140000L;
    public const long MaskCtrlConf = 0x100000L;

    public const long MaskBitsCode = 0x7FFFL;

    public const long Created = 1;
    public const long Deleted = 2;
    public const long Modified = 3;

    public const long FailSql = 100;
    // Codes as in linstor-common consts.json (LINSTOR 1.34 / REST 1.28).
    public const long FailInvldNodeName = 200;
    public const long FailInvldNodeType = 201;
    public const long FailInvldRscName = 202;
    public const long FailInvldRscPort = 203;
    public const long FailInvldNodeId = 204;
    public const long FailInvldVlmNr = 205;
    public const long FailInvldVlmSize = 206;
    public const long FailInvldMinorNr = 207;
    public const long FailInvldStorPoolName = 208;
    public const long FailInvldNetName = 209;
    public const long FailInvldNetAddr = 210;
    public const long FailInvldNetPort = 211;
    public const long FailInvldNetType = 212;
    public const long FailInvldProp = 213;
    public const long FailInvldPropKey = FailInvldProp;
    public const long FailInvldPropValue = FailInvldProp;
    public const long FailInvldTcpPort = 215;
    public const long FailInvldPlaceCount = 219;
    public const long FailInvldStorDriver = 221;
    public const long FailInvldLayerKind = 224;
    public const long FailInvldLayerStack = 225;
    public const long FailInvldExtName = 226;
    public const long FailInvldProvider = 227;
    public const long FailInvldVlmSizes = 228;
    public const long FailInvldVlmCount = 229;
    public const long FailInvldRequest = 234;
    public const long FailInvldRscGrpName = 237;

    public const long FailNotFoundNode = 300;
    public const long FailNotFoundRscDfn = 301;
    public const long FailNotFoundRsc = 302;
    public const long FailNotFoundVlmDfn = 303;
    public const long FailNotFoundVlm = 304;
    public const long FailNotFoundNetIf = 305;
    public const long FailNotFoundStorPoolDfn = 309;
    public const long FailNotFoundStorPool = 310;
    public const long FailNotFoundRscGrp = 317;
    public const long FailNotFoundVlmGrp = 318;

    public const long FailExistsNode = 500;
    public const long FailExistsRscDfn = 501;
    public const long FailExistsRsc = 502;
    public const long FailExistsVlmDfn = 503;
    public const long FailExistsNetIf = 505;
    public const long FailExistsStorPoolDfn = 509;
    public const long FailExistsStorPool = 510;
    public const long FailExistsExtName = 517;
    public const long FailExistsRscGrp = 522;
    public const long FailExistsVlmGrp = 523;

    public const long FailMissingProps = 600;

    public const long FailPoolExhaustedVlmNr = 800;
    public const long FailPoolExhaustedMinorNr = 801;
    public const long FailPoolExhaustedTcpPort = 802;
    public const long FailPoolExhaustedNodeId = 803;

    public const long FailNotEnoughFreeSpace = 980;
    public const long FailStorPoolConfigurationError = 990;
    public const long FailUndecidableAutoplacement = 985;
    public const long FailStltDoesNotSupportLayer = 988;
    public const long FailInsufficientReplicaCount = 991;
    public const long FailRscBusy = 992;
    public const long FailInsufficientPeerSlots = 993;
    public const long FailNotEnoughNodes = 996;
    public const long FailInUse = 997;
    public const long FailUnknownError = 998;
    public const long FailImplError = 999;

    public const long WarnNotConnected = 1002;
    public const long WarnRscAlreadyDeployed = 1006;
    public const long WarnRscAlreadyHasDisk = 1007;
    public const long WarnRscAlreadyDiskless = 1008;
    public const long WarnNotEnoughNodesForTieBreaker = 1013;
    public const long WarnNotFound = 3000;
    public const long WarnNoEffect = 3001;

    public const long InfoNoRscSpawned = 10000;
    public const long InfoPropSet = 10002;
    public const long InfoTieBreakerCreated = 10003;
    public const long InfoTieBreakerDeleting = 10004;
    public const long InfoTieBreakerTakeover = 10006;
    public const long InfoRscAlreadyExists = 10008;
    public const long InfoPropRemoved = 10005;
    public const long InfoNoop = 10007;

    public const long UnknownApiCall = 0x0FFFFFFFFFFFFFFFL | MaskError;
    public const long ApiCallParseError = 0x0FFFFFFFFFFFFFFDL | MaskError;

    public static bool IsError(long retCode) => (retCode & MaskError) == MaskError;
    public static bool IsWarning(long retCode) => !IsError(retCode) && (retCode & MaskWarn) == MaskWarn;
    public static long CodeOf(long retCode) => retCode & MaskBitsCode;
}
