// Starts Decap CMS with the project's YAML format and Danish wording (config.yml beside this
// file is made by kvalitet from the content models).
import YAML from './yaml/index.js';          // npm "yaml" v2, its plain ES-module build
import { yamlKeepFormat } from './yaml-keep.js';

const CMS = window.CMS;
CMS.registerCustomFormat('yaml-keep', 'yaml', yamlKeepFormat(YAML));

// Decap's Danish for a field that does not match its pattern is "Id matchede ikke: <message>.";
// show the Danish message from config.yml alone. registerLocale replaces the whole set: merge.
const da = CMS.getLocale('da');
const control = da.editor.editorControlPane;
CMS.registerLocale('da', {
  ...da,
  editor: { ...da.editor, editorControlPane: { ...control, widget: { ...control.widget, regexPattern: '%{pattern}' } } },
});

CMS.init();
