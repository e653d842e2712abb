// The UEFI specification's names for the slots of the function tables the templates
// fill with fntable() (UEFI 2.10 §4.4, §4.5, §12.4), in table order, so the report can
// say "AllocatePages: mmAllocate". Only names: whether a slot is implemented is read from
// the templates (services.ts). A table whose length differs is shown by slot number.

export const SPEC_SLOT_NAMES: Readonly<Record<string, readonly string[]>> = {
  EFI_BOOT_SERVICES: [
    'RaiseTPL', 'RestoreTPL', 'AllocatePages', 'FreePages', 'GetMemoryMap', 'AllocatePool', 'FreePool',
    'CreateEvent', 'SetTimer', 'WaitForEvent', 'SignalEvent', 'CloseEvent', 'CheckEvent',
    'InstallProtocolInterface', 'ReinstallProtocolInterface', 'UninstallProtocolInterface', 'HandleProtocol',
    'Reserved', 'RegisterProtocolNotify', 'LocateHandle', 'LocateDevicePath', 'InstallConfigurationTable',
    'LoadImage', 'StartImage', 'Exit', 'UnloadImage', 'ExitBootServices', 'GetNextMonotonicCount', 'Stall',
    'SetWatchdogTimer', 'ConnectController', 'DisconnectController', 'OpenProtocol', 'CloseProtocol',
    'OpenProtocolInformation', 'ProtocolsPerHandle', 'LocateHandleBuffer', 'LocateProtocol',
    'InstallMultipleProtocolInterfaces', 'UninstallMultipleProtocolInterfaces', 'CalculateCrc32', 'CopyMem',
    'SetMem', 'CreateEventEx',
  ],
  EFI_RUNTIME_SERVICES: [
    'GetTime', 'SetTime', 'GetWakeupTime', 'SetWakeupTime', 'SetVirtualAddressMap', 'ConvertPointer',
    'GetVariable', 'GetNextVariableName', 'SetVariable', 'GetNextHighMonotonicCount', 'ResetSystem',
    'UpdateCapsule', 'QueryCapsuleCapabilities', 'QueryVariableInfo',
  ],
  EFI_SIMPLE_TEXT_OUTPUT_PROTOCOL: [
    'Reset', 'OutputString', 'TestString', 'QueryMode', 'SetMode', 'SetAttribute', 'ClearScreen',
    'SetCursorPosition', 'EnableCursor',
  ],
};
