"""The data tabs of the main window: 指标, 项目, 企业服务, 工作计划."""
