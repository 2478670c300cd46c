package io.herald.core.template;

import java.util.Map;

/** Renders a stored template for one send. Templates are global (managed by operators), not per app. */
public interface TemplateRenderer {

    /**
     * @param version null for the published version
     * @param locale  null for the template's default; falls back ko-KR -> ko -> default
     * @throws TemplateException when the template or version does not exist, or the data does not fit its variables
     */
    RenderedMessage render(String key, Integer version, String locale, Map<String, Object> data);
}
