package dev.pvm.engine.rtas;

/**
 * The RTAS services a pseries machine can offer, by device-tree name, with the tokens QEMU's pseries machine
 * gives them (RTAS_TOKEN_BASE 0x2000 plus the service's index; shared/facts/qemu-dtb). Keeping QEMU's numbers
 * makes our /rtas node comparable with QEMU's property for property. A machine advertises only the services
 * it registers in its {@link RtasTable}.
 */
public enum RtasService {
    DISPLAY_CHARACTER("display-character", 0x2000),
    GET_TIME_OF_DAY("get-time-of-day", 0x2001),
    SET_TIME_OF_DAY("set-time-of-day", 0x2002),
    POWER_OFF("power-off", 0x2003),
    SYSTEM_REBOOT("system-reboot", 0x2004),
    QUERY_CPU_STOPPED_STATE("query-cpu-stopped-state", 0x2005),
    START_CPU("start-cpu", 0x2006),
    STOP_SELF("stop-self", 0x2007),
    GET_SYSTEM_PARAMETER("ibm,get-system-parameter", 0x2008),
    SET_SYSTEM_PARAMETER("ibm,set-system-parameter", 0x2009),
    SET_XIVE("ibm,set-xive", 0x200a),
    GET_XIVE("ibm,get-xive", 0x200b),
    INT_OFF("ibm,int-off", 0x200c),
    INT_ON("ibm,int-on", 0x200d),
    CHECK_EXCEPTION("check-exception", 0x200e),
    EVENT_SCAN("event-scan", 0x200f),
    SET_TCE_BYPASS("ibm,set-tce-bypass", 0x2010),
    QUIESCE("quiesce", 0x2011),
    NVRAM_FETCH("nvram-fetch", 0x2012),
    NVRAM_STORE("nvram-store", 0x2013),
    READ_PCI_CONFIG("read-pci-config", 0x2014),
    WRITE_PCI_CONFIG("write-pci-config", 0x2015),
    IBM_READ_PCI_CONFIG("ibm,read-pci-config", 0x2016),
    IBM_WRITE_PCI_CONFIG("ibm,write-pci-config", 0x2017),
    QUERY_INTERRUPT_SOURCE_NUMBER("ibm,query-interrupt-source-number", 0x2018),
    CHANGE_MSI("ibm,change-msi", 0x2019),
    SET_INDICATOR("set-indicator", 0x201a),
    SET_POWER_LEVEL("set-power-level", 0x201b),
    GET_POWER_LEVEL("get-power-level", 0x201c),
    GET_SENSOR_STATE("get-sensor-state", 0x201d),
    CONFIGURE_CONNECTOR("ibm,configure-connector", 0x201e),
    OS_TERM("ibm,os-term", 0x201f),
    SET_EEH_OPTION("ibm,set-eeh-option", 0x2020),
    GET_CONFIG_ADDR_INFO2("ibm,get-config-addr-info2", 0x2021),
    READ_SLOT_RESET_STATE2("ibm,read-slot-reset-state2", 0x2022),
    SET_SLOT_RESET("ibm,set-slot-reset", 0x2023),
    CONFIGURE_PE("ibm,configure-pe", 0x2024),
    SLOT_ERROR_DETAIL("ibm,slot-error-detail", 0x2025),
    QUERY_PE_DMA_WINDOW("ibm,query-pe-dma-window", 0x2026),
    CREATE_PE_DMA_WINDOW("ibm,create-pe-dma-window", 0x2027),
    REMOVE_PE_DMA_WINDOW("ibm,remove-pe-dma-window", 0x2028),
    RESET_PE_DMA_WINDOW("ibm,reset-pe-dma-window", 0x2029),
    SUSPEND_ME("ibm,suspend-me", 0x202a),
    NMI_REGISTER("ibm,nmi-register", 0x202b),
    NMI_INTERLOCK("ibm,nmi-interlock", 0x202c);

    private final String propertyName;
    private final int token;

    RtasService(String propertyName, int token) {
        this.propertyName = propertyName;
        this.token = token;
    }

    /** The name as the guest looks it up in /rtas. */
    public String propertyName() {
        return propertyName;
    }

    public int token() {
        return token;
    }
}
