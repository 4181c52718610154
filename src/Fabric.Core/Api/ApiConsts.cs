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
    public const long FailInvldNodeName = 200;
    public const long FailInvldNodeType = 202;
    public const long FailInvldPropKey = 203;
    public const long FailInvldPropValue = 204;
    public const long FailInvldNetName = 206;
    public const long FailInvldNetAddr = 207;
    public const long FailInvldNetPort = 208;
    public const long FailInvldNetType = 209;
    public const long FailInvldStorPoolName = 215;
    public const long FailInvldStorDriver = 216;
    public const long FailInvldRequest = 237;

    public const long FailNotFoundNode = 300;
    public const long FailNotFoundNetIf = 305;
    public const long FailNotFoundStorPoolDfn = 309;
    public const long FailNotFoundStorPool = 310;

    public const long FailExistsNode = 500;
    public const long FailExistsNetIf = 505;
    public const long FailExistsStorPoolDfn = 509;
    public const long FailExistsStorPool = 510;

    public const long FailMissingProps = 600;
    public const long FailInUse = 997;
    public const long FailUnknownError = 998;
    public const long FailImplError = 999;

    public const long WarnNotConnected = 1002;
    public const long WarnNotFound = 3000;
    public const long WarnNoEffect = 3001;

    public const long InfoPropSet = 10002;
    public const long InfoPropRemoved = 10005;
    public const long InfoNoop = 10007;

    public const long UnknownApiCall = 0x0FFFFFFFFFFFFFFFL | MaskError;
    public const long ApiCallParseError = 0x0FFFFFFFFFFFFFFDL | MaskError;

    public static bool IsError(long retCode) => (retCode & MaskError) == MaskError;
    public static bool IsWarning(long retCode) => !IsError(retCode) && (retCode & MaskWarn) == MaskWarn;
    public static long CodeOf(long retCode) => retCode & MaskBitsCode;
}
